#!/usr/bin/env node
// The production build (`npm run build`, the same in CI and in the Dockerfile): each service's
// entry bundled by esbuild into dist/<service>/main.js (CommonJS, Node 20, source maps), started
// with `node scripts/run-service.js <service>`. Our workspace packages (raw TypeScript) are bundled
// in; third-party packages stay external, required from node_modules at run time, so each must be
// a `dependency` of some workspace for `npm ci --omit=dev` to install it (checked below).
//
// Files read at run time: a source that says `__dirname` means its own folder, as under tsx. The
// bundle has one folder for everything, so `__dirname` in our sources becomes their folder under
// dist/files/, which holds a copy of the files they read (ASSETS), at their repository paths.
//
// The web app (apps/web, `vite build` into apps/web/dist) goes to dist/files/apps/web/dist, where the
// gateway serves it from (its DEFAULT_WEB_APP_DIR); `--no-web` leaves it out (the gateway then serves
// the API only).
//
// node scripts/build.mjs [--out <dir>] [--no-web]   (default: dist)
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { SERVICES } = require('./run-service.js');

/** Service -> its entry, relative to the repository. */
export const ENTRIES = {
  gateway: 'gateway/src/main.ts',
  workers: 'workers/src/main.ts',
  ...Object.fromEntries(
    ['users', 'courses', 'certifications', 'conocer', 'impact', 'notifications', 'media', 'commerce'].map((name) => [
      name,
      `subgraphs/${name}/src/main.ts`,
    ]),
  ),
  'conocer-sandbox': 'tools/conocer-sandbox/src/main.ts',
  'payment-sandbox': 'tools/payment-sandbox/src/main.ts',
  migrate: 'tools/migrator/src/cli.ts',
  seed: 'tools/seed/src/cli.ts',
};

/** What the bundles read at run time (through `__dirname`), copied to dist/files/<same path>. */
export const ASSETS = [
  'supergraph.graphql',
  ...['users', 'courses', 'certifications', 'conocer', 'impact', 'notifications', 'media', 'commerce'].map(
    (name) => `subgraphs/${name}/schema.graphql`,
  ),
  'packages/client-operations/src/generated/persisted-documents.json',
  'prisma/schema.prisma',
  'prisma/migrations',
];

const NODE_MODULES = `${path.join(ROOT, 'node_modules')}${path.sep}`;

/** `@scope/name/sub/path` -> `@scope/name`; `name/sub` -> `name`. */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Third-party packages stay external when Node would find the same copy from dist/ (the root's
 * node_modules); a copy nested in a workspace (another major version than the root's) is bundled,
 * as is everything of ours.
 */
function externalPackages(externals) {
  return {
    name: 'external-packages',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === 'resolving' || args.path.startsWith('node:')) return undefined;
        const resolved = await build.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: 'resolving' });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        if (resolved.external || !resolved.path.startsWith(NODE_MODULES)) return resolved;
        // What our own sources require must be declared; a bundled package's own needs are its dependencies.
        if (!args.importer.includes(`${path.sep}node_modules${path.sep}`)) externals.add(packageName(args.path));
        return { path: args.path, external: true };
      });
    },
  };
}

/** `__dirname` in our sources -> their folder under dist/files (see the top of this file). */
function sourceDirectories() {
  return {
    name: 'source-directories',
    setup(build) {
      build.onLoad({ filter: /\.tsx?$/ }, async (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const source = await readFile(args.path, 'utf8');
        if (!/\b__dirname\b/.test(source)) return undefined;
        const folder = path.relative(ROOT, path.dirname(args.path)).split(path.sep).join('/');
        return {
          contents: source.replace(/\b__dirname\b/g, `__academySourceDir(${JSON.stringify(folder)})`),
          loader: args.path.endsWith('x') ? 'tsx' : 'ts',
        };
      });
    },
  };
}

/** Every package some workspace (or the root) lists in `dependencies`: what `npm ci --omit=dev` installs. */
async function productionDependencies() {
  const root = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8'));
  const manifests = [root];
  for (const pattern of root.workspaces) {
    const folders = pattern.endsWith('/*')
      ? (await readdir(path.join(ROOT, pattern.slice(0, -2)))).map((name) => path.join(pattern.slice(0, -2), name))
      : [pattern];
    for (const folder of folders) {
      const file = path.join(ROOT, folder, 'package.json');
      if (await stat(file).catch(() => null)) manifests.push(JSON.parse(await readFile(file, 'utf8')));
    }
  }
  return new Set(manifests.flatMap((manifest) => Object.keys(manifest.dependencies ?? {})));
}

/** `vite build` of apps/web (as `npm start` does it), into apps/web/dist. */
function buildWebApp() {
  return new Promise((resolve, reject) => {
    const output = [];
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
      cwd: path.join(ROOT, 'apps/web'),
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`vite build of apps/web failed (exit code ${code}):\n${Buffer.concat(output)}`)),
    );
  });
}

export async function build({ out = path.join(ROOT, 'dist'), web = true, log = (line) => process.stdout.write(`${line}\n`) } = {}) {
  const missing = SERVICES.filter((name) => !ENTRIES[name]);
  if (missing.length > 0) throw new Error(`scripts/run-service.js lists services without an entry here: ${missing.join(', ')}`);
  if (!(await stat(path.join(ROOT, 'packages/platform/src/db/generated/prisma/client.ts')).catch(() => null))) {
    throw new Error('Prisma Client is not generated: run `npm run generate` first');
  }
  const started = Date.now();
  await rm(out, { recursive: true, force: true });
  const externals = new Map();
  const results = await Promise.all(
    SERVICES.map(async (name) => {
      const used = new Set();
      const result = await esbuild.build({
        absWorkingDir: ROOT,
        entryPoints: [path.join(ROOT, ENTRIES[name])],
        outfile: path.join(out, name, 'main.js'),
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        sourcemap: true,
        jsx: 'automatic',
        // The sources' folders under dist/files (see sourceDirectories).
        banner: { js: 'const __academySourceDir = (folder) => require("node:path").join(__dirname, "..", "files", folder);' },
        legalComments: 'none',
        logLevel: 'silent',
        metafile: true,
        plugins: [externalPackages(used), sourceDirectories()],
      });
      externals.set(name, used);
      return [name, result];
    }),
  );
  for (const asset of ASSETS) await cp(path.join(ROOT, asset), path.join(out, 'files', asset), { recursive: true });
  if (web) {
    const webStarted = Date.now();
    await buildWebApp();
    await cp(path.join(ROOT, 'apps/web/dist'), path.join(out, 'files/apps/web/dist'), { recursive: true });
    log(`  web app          apps/web (vite build) in ${((Date.now() - webStarted) / 1000).toFixed(1)} s`);
  }

  const production = await productionDependencies();
  const misplaced = [...externals]
    .flatMap(([name, used]) => [...used].filter((pkg) => !production.has(pkg)).map((pkg) => `${pkg} (${name})`))
    .sort();
  if (misplaced.length > 0) {
    throw new Error(
      `needed at run time but no workspace lists them in "dependencies" (npm ci --omit=dev would leave them out): ${[...new Set(misplaced)].join(', ')}`,
    );
  }
  const sizes = Object.fromEntries(
    results.map(([name, result]) => [name, Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0)]),
  );
  await writeFile(
    path.join(out, 'build.json'),
    `${JSON.stringify({ services: Object.fromEntries(SERVICES.map((name) => [name, { entry: ENTRIES[name], externals: [...externals.get(name)].sort() }])) }, null, 2)}\n`,
  );
  for (const name of SERVICES) {
    log(`  ${name.padEnd(16)} ${ENTRIES[name].padEnd(38)} ${(sizes[name] / 1024 / 1024).toFixed(1).padStart(5)} MiB (with map)`);
  }
  log(`built ${SERVICES.length} services into ${path.relative(ROOT, out) || out} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outIndex = process.argv.indexOf('--out');
  const web = !process.argv.includes('--no-web');
  build({ ...(outIndex > 0 ? { out: path.resolve(process.argv[outIndex + 1]) } : {}), web }).catch((error) => {
    process.stderr.write(`build failed: ${error.message}\n`);
    process.exit(1);
  });
}
