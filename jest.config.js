// One jest run over every package (jest projects): one global setup creates the run's
// database (migrated, seeded) on the server `npm test` provides. TypeScript is stripped by swc;
// `npm run typecheck` (and its test in packages/platform) checks the types.
const fs = require('node:fs');
const path = require('node:path');

const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

// Packages that ship only ES modules, compiled to CommonJS for jest like our own code.
const esmOnly = ['jose'];

const roots = ['packages', 'tools', 'subgraphs']
  .flatMap((dir) => (fs.existsSync(dir) ? fs.readdirSync(dir).map((name) => path.join(dir, name)) : []))
  .concat(['gateway', 'workers']);

const projects = roots
  .filter((dir) => fs.existsSync(path.join(__dirname, dir, 'test')))
  .map((dir) => ({
    displayName: dir,
    rootDir: path.join(__dirname, dir),
    testEnvironment: 'node',
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    transform: { '^.+\\.(t|j|mj)s$': swc },
    transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
    moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
    slowTestThreshold: 15,
  }));

module.exports = {
  projects,
  // The global setup runs through these too.
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  globalSetup: '<rootDir>/tools/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/tools/testing/src/global-teardown.ts',
  transform: { '^.+\\.(t|j|mj)s$': swc },
  maxWorkers: 2,
  testTimeout: 30_000,
};
