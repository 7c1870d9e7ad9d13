#!/usr/bin/env node
// Leaves in <app>/node_modules only what the production build needs at run time: the packages
// dist/build.json names as externals (scripts/build.mjs) and everything they depend on.
// `npm ci --omit=dev` installs the dependencies of every workspace, the development tools' too
// (embedded PostgreSQL's binaries, MailDev, s3rver, the code generators); the image runs this
// after it, and tools/devstack/test/production-build.test.ts starts every service on what is left.
//   node scripts/prune-runtime.mjs [<app dir, default .>] [--dry-run]
import { lstat, readdir, readFile, rm, unlink } from 'node:fs/promises';
import path from 'node:path';

const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
const app = path.resolve(args.find((arg) => !arg.startsWith('--')) ?? '.');
const modules = path.join(app, 'node_modules');

/** `name` (or `@scope/name`) of a bare import like `@prisma/client/runtime/x`. */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

async function exists(file) {
  return Boolean(await lstat(file).catch(() => null));
}

/** Where Node finds `name` from the package in `dir`: its own node_modules, then each enclosing one. */
async function resolvePackage(name, dir) {
  for (let current = dir; current.startsWith(modules); current = path.dirname(current)) {
    if (path.basename(current) === 'node_modules') continue;
    const candidate = path.join(current, 'node_modules', name);
    if (await exists(candidate)) return candidate;
  }
  const top = path.join(modules, name);
  return (await exists(top)) ? top : null;
}

async function manifestOf(dir) {
  return JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'));
}

/** Every package directory the externals need, theirs and their dependencies' (required peers and optional ones, when installed). */
async function closure(externals) {
  const kept = new Set();
  const missing = [];
  const queue = [];
  for (const name of externals) {
    const dir = await resolvePackage(name, modules);
    if (dir) queue.push(dir);
    else missing.push(name);
  }
  while (queue.length > 0) {
    const dir = queue.pop();
    if (kept.has(dir)) continue;
    kept.add(dir);
    const manifest = await manifestOf(dir);
    // A peer marked optional (Prisma Client's `prisma` CLI and `typescript`) is the user's choice: not kept for it.
    const peers = Object.keys(manifest.peerDependencies ?? {}).filter((name) => !manifest.peerDependenciesMeta?.[name]?.optional);
    const optional = { ...manifest.optionalDependencies, ...Object.fromEntries(peers.map((name) => [name, '*'])) };
    const names = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(optional)]);
    for (const name of names) {
      const found = await resolvePackage(name, dir);
      if (found) queue.push(found);
      else if (!(name in optional)) missing.push(`${name} (of ${path.relative(modules, dir)})`);
    }
  }
  return { kept, missing };
}

/** The top-level package directories: `node_modules/<name>` and `node_modules/@scope/<name>`. */
async function topLevel() {
  const dirs = [];
  for (const entry of await readdir(modules)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      for (const scoped of await readdir(path.join(modules, entry))) dirs.push(path.join(modules, entry, scoped));
    } else dirs.push(path.join(modules, entry));
  }
  return dirs;
}

/** Removes a package: a link is unlinked (never what it points to), a directory removed. */
async function remove(dir) {
  if ((await lstat(dir)).isSymbolicLink()) await unlink(dir);
  else await rm(dir, { recursive: true, force: true });
}

// A clone's node_modules serves development (tests, code generation, npm start): never prune it.
if (await exists(path.join(app, 'packages/platform/src'))) {
  process.stderr.write(`prune-runtime: ${app} is a source tree; prune the copy that runs (the image's prod-deps stage does)\n`);
  process.exit(1);
}
const build = JSON.parse(await readFile(path.join(app, 'dist/build.json'), 'utf8'));
const externals = new Set(Object.values(build.services).flatMap((service) => service.externals.map(packageName)));
const { kept, missing } = await closure(externals);
if (missing.length > 0) {
  process.stderr.write(`prune-runtime: not installed, yet needed at run time: ${[...new Set(missing)].join(', ')}\n`);
  process.exit(1);
}
// Our workspaces are bundled into dist/: their links go as well.
const removed = (await topLevel()).filter((dir) => !kept.has(dir));
if (!dryRun) {
  for (const dir of removed) await remove(dir);
  for (const entry of await readdir(modules)) {
    if (entry.startsWith('@') && (await readdir(path.join(modules, entry))).length === 0)
      await rm(path.join(modules, entry), { recursive: true });
  }
  // npm's record of the tree would name what is gone.
  await rm(path.join(modules, '.package-lock.json'), { force: true });
}
process.stdout.write(
  `prune-runtime: ${externals.size} packages imported at run time, ${kept.size} with their dependencies; ` +
    `${removed.length} top-level packages ${dryRun ? 'would be ' : ''}removed\n`,
);
if (dryRun) process.stdout.write(`${removed.map((dir) => path.relative(modules, dir)).join('\n')}\n`);
