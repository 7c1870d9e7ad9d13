// One jest run over every package (jest projects): one global setup creates the run's
// database (migrated, seeded) on the server `npm test` provides. TypeScript is stripped by swc;
// `npm run typecheck` (and its test in packages/platform) checks the types.
const fs = require('node:fs');
const path = require('node:path');

const swcOptions = (tsx) => ({
  jsc: {
    parser: { syntax: 'typescript', tsx },
    target: 'es2022',
    ...(tsx ? { transform: { react: { runtime: 'automatic' } } } : {}),
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
});
// .tsx (the email templates) parses as TSX with React's automatic runtime; .ts stays plain
// TypeScript (`<T>value` casts are not JSX there).
const transform = {
  '^.+\\.tsx$': ['@swc/jest', swcOptions(true)],
  '^.+\\.(t|j|mj|cj)s$': ['@swc/jest', swcOptions(false)],
};

// Packages that ship only ES modules, compiled to CommonJS for jest like our own code.
const esmOnly = ['jose', '@react-email/render', '@scure/base'];

const roots = ['packages', 'tools', 'subgraphs', 'apps']
  .flatMap((dir) => (fs.existsSync(dir) ? fs.readdirSync(dir).map((name) => path.join(dir, name)) : []))
  .concat(['gateway', 'workers', 'deploy/k8s']);

function isModulePackage(dir) {
  const manifest = path.join(__dirname, dir, 'package.json');
  return fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).type === 'module';
}

const projects = roots
  .filter((dir) => fs.existsSync(path.join(__dirname, dir, 'test')))
  .map((dir) => ({
    displayName: dir,
    rootDir: path.join(__dirname, dir),
    testEnvironment: 'node',
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    transform,
    transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
    moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json'],
    // ES module packages (@academy/client) name their TypeScript siblings `./file.js`, as Node wants.
    ...(isModulePackage(dir) ? { moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' } } : {}),
    slowTestThreshold: 15,
  }));

module.exports = {
  projects,
  // The global setup runs through these too.
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  globalSetup: '<rootDir>/tools/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/tools/testing/src/global-teardown.ts',
  transform,
  maxWorkers: 2,
  // A test file's modules stay reachable after it ends (live sockets, timers of the libraries
  // under test: jest's known leak across files), ~100 MB per supergraph test: a worker that
  // has grown past this after a file is replaced by a fresh one (a fresh-clone CI run's worker
  // reached node's 4 GB heap limit without it).
  workerIdleMemoryLimit: '1536MB',
  testTimeout: 30_000,
};
