import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { CredentialSigner } from '@academy/credentials';
import { MIGRATIONS_DIR, migrate, setAppRolePassword } from '@academy/migrator';
import { appDatabaseUrl, createDatabaseClient, Database } from '@academy/platform';
import { seedDatabase } from '@academy/seed';
import { testEnvironment } from './environment';
import { withDatabase } from './global-setup';
import { freePort } from './processes';
import { until } from './until';

export interface RunningReplicatedPostgres {
  /** Owner (superuser) URLs, database `academy`. */
  primaryOwnerUrl: string;
  replicaOwnerUrl: string;
  /** The services' role (academy_app, RLS in force) on each. */
  primaryAppUrl: string;
  replicaAppUrl: string;
  /** Waits (15 s at most) until the replica has replayed everything the primary has written so far. */
  caughtUp(): Promise<void>;
  /** Pauses the replica's replay (lag on demand) / resumes it. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Stops the replica's server (fast shutdown) / starts it again on the same port and data, once it answers. */
  stopReplica(): Promise<void>;
  startReplica(): Promise<void>;
  /** Stops the primary's server (fast shutdown) / starts it again on the same port and data, once it answers. */
  stopPrimary(): Promise<void>;
  startPrimary(): Promise<void>;
  /** Stops both servers and removes their data. */
  stop(): Promise<void>;
}

const PROGRAMS = ['initdb', 'pg_ctl', 'postgres', 'pg_basebackup'];
const DATABASE = 'academy';
const OS_USER = 'postgres';
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const CATCH_UP_TIMEOUT_MS = 15_000;
/**
 * A throwaway cluster: no fsync, no full-page images (pg_basebackup forces them on the primary
 * while it copies). synchronous_commit stays on: with fsync off it costs nothing, and a commit's
 * WAL is then written when the commit returns, so pg_current_wal_lsn() covers it in caughtUp().
 */
const SETTINGS = [
  'listen_addresses=127.0.0.1',
  'unix_socket_directories=',
  'wal_level=replica',
  'max_wal_senders=5',
  'hot_standby=on',
  'fsync=off',
  'full_page_writes=off',
];

/**
 * A PostgreSQL primary of the test's own, with database `academy` migrated and seeded as the
 * global setup does (this run's credential keys and app role password), and a hot-standby replica
 * streaming from it (`pg_basebackup -R`, through a replication slot, so WAL waits for a stopped
 * replica). Data in a temporary directory, each server on a free port; as root, PostgreSQL runs as
 * the `postgres` OS user.
 */
export async function startReplicatedPostgres(options: { log?: (line: string) => void } = {}): Promise<RunningReplicatedPostgres> {
  const log = options.log ?? (() => undefined);
  const environment = testEnvironment();
  const appPassword = decodeURIComponent(new URL(environment.TEST_APP_DATABASE_URL).password);
  const context: Context = {
    binaries: postgresBinaries(),
    runAs: process.getuid?.() === 0 ? osUser(OS_USER) : null,
    directory: fs.mkdtempSync(path.join(os.tmpdir(), 'academy-replica-')),
  };
  const primaryDir = path.join(context.directory, 'primary');
  const replicaDir = path.join(context.directory, 'replica');
  fs.mkdirSync(primaryDir, { mode: 0o700 });
  fs.mkdirSync(replicaDir, { mode: 0o700 });
  if (context.runAs) {
    for (const dir of [context.directory, primaryDir, replicaDir]) fs.chownSync(dir, context.runAs.uid, context.runAs.gid);
  }
  const [primaryPort, replicaPort] = await twoFreePorts();
  const primaryOwnerUrl = `postgresql://postgres@127.0.0.1:${primaryPort}/${DATABASE}`;
  const replicaOwnerUrl = `postgresql://postgres@127.0.0.1:${replicaPort}/${DATABASE}`;
  const servers: { primary?: Server; replica?: Server } = {};
  // A process that exits takes its servers with it: nothing else would stop them.
  const killOnExit = () => {
    servers.replica?.child.kill('SIGKILL');
    servers.primary?.child.kill('SIGKILL');
    try {
      fs.rmSync(context.directory, { recursive: true, force: true });
    } catch {
      // a server still writing; the directory is in os.tmpdir()
    }
  };
  process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    if (servers.replica) await stopServer(servers.replica);
    if (servers.primary) await stopServer(servers.primary);
    await rm(context.directory, { recursive: true, force: true });
  };
  const startReplica = async () => {
    if (servers.replica && !servers.replica.stopped()) return;
    servers.replica = launch(context, 'postgres', ['-D', replicaDir, '-p', String(replicaPort), ...settings()]);
    await waitUntilAnswers(servers.replica, replicaOwnerUrl, 'the replica', 'SELECT pg_is_in_recovery() AS ok');
  };
  const startPrimary = async () => {
    if (servers.primary && !servers.primary.stopped()) return;
    servers.primary = launch(context, 'postgres', ['-D', primaryDir, '-p', String(primaryPort), ...settings()]);
    await waitUntilAnswers(servers.primary, withDatabase(primaryOwnerUrl, 'postgres'), 'the primary', 'SELECT true AS ok');
  };

  try {
    let started = Date.now();
    await runToEnd(launch(context, 'initdb', ['--auth=trust', `--username=${OS_USER}`, '--encoding=UTF8', '--locale=C', '-D', primaryDir]));
    log(`primary initialised in ${seconds(started)}`);
    started = Date.now();
    await startPrimary();
    log(`primary started on port ${primaryPort} in ${seconds(started)}`);

    started = Date.now();
    await query(withDatabase(primaryOwnerUrl, 'postgres'), `CREATE DATABASE ${DATABASE}`);
    await migrate({ url: primaryOwnerUrl, dir: MIGRATIONS_DIR });
    await setAppRolePassword(primaryOwnerUrl, appPassword);
    const client = createDatabaseClient({
      url: appDatabaseUrl({ ownerUrl: primaryOwnerUrl, appPassword }),
      applicationName: 'academy-test-replica-setup',
    });
    try {
      await seedDatabase({
        database: new Database(client.prisma),
        credentials: await CredentialSigner.load(environment.TEST_CREDENTIAL_SIGNING_KEY, environment.TEST_CREDENTIAL_RSA_SIGNING_KEY),
      });
    } finally {
      await client.close();
    }
    log(`${DATABASE} migrated and seeded on the primary in ${seconds(started)}`);

    started = Date.now();
    const baseBackup = ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', OS_USER, '-D', replicaDir];
    await runToEnd(launch(context, 'pg_basebackup', [...baseBackup, '-R', '-X', 'stream', '-C', '-S', 'replica', '-c', 'fast']));
    log(`replica copied by pg_basebackup in ${seconds(started)}`);

    started = Date.now();
    await startReplica();
    log(`replica started on port ${replicaPort} in ${seconds(started)}`);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    primaryOwnerUrl,
    replicaOwnerUrl,
    primaryAppUrl: appDatabaseUrl({ ownerUrl: primaryOwnerUrl, appPassword }),
    replicaAppUrl: appDatabaseUrl({ ownerUrl: replicaOwnerUrl, appPassword }),
    async caughtUp() {
      const [written] = await query<{ lsn: string }>(primaryOwnerUrl, 'SELECT pg_current_wal_lsn()::text AS lsn');
      const lsn = written!.lsn;
      const replica = await connect(replicaOwnerUrl);
      try {
        const seen = await until(
          async () =>
            (
              await replica.query<{ replayed: string | null; done: boolean }>(
                'SELECT pg_last_wal_replay_lsn()::text AS replayed, coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false) AS done',
                [lsn],
              )
            ).rows[0]!,
          (row) => row.done,
          { timeoutMs: CATCH_UP_TIMEOUT_MS, everyMs: 20 },
        );
        if (!seen.done) {
          throw new Error(
            `the replica replayed up to ${seen.replayed}, not ${lsn}, in ${CATCH_UP_TIMEOUT_MS / 1000} s (is replay paused?)`,
          );
        }
      } finally {
        await replica.end().catch(() => undefined);
      }
    },
    async pauseReplay() {
      await query(replicaOwnerUrl, 'SELECT pg_wal_replay_pause()');
    },
    async resumeReplay() {
      await query(replicaOwnerUrl, 'SELECT pg_wal_replay_resume()');
    },
    async stopReplica() {
      if (servers.replica) await stopServer(servers.replica);
    },
    startReplica,
    async stopPrimary() {
      if (servers.primary) await stopServer(servers.primary);
    },
    startPrimary,
    stop,
  };
}

interface OsUser {
  uid: number;
  gid: number;
}

interface Context {
  binaries: string;
  runAs: OsUser | null;
  directory: string;
}

interface Server {
  child: ChildProcess;
  /** The exit code; null when it was killed or could not run. */
  exited: Promise<number | null>;
  stopped(): boolean;
  lastOutput(): string;
}

/** PG_BIN_DIR, else the newest /usr/lib/postgresql/<N>/bin, else `pg_config --bindir`: the first with every program. */
function postgresBinaries(): string {
  const candidates: string[] = [];
  if (process.env.PG_BIN_DIR) {
    candidates.push(process.env.PG_BIN_DIR);
  } else {
    const versions = fs.existsSync('/usr/lib/postgresql')
      ? fs
          .readdirSync('/usr/lib/postgresql')
          .filter((name) => /^\d+$/.test(name))
          .sort((a, b) => Number(b) - Number(a))
      : [];
    if (versions[0]) candidates.push(path.join('/usr/lib/postgresql', versions[0], 'bin'));
    try {
      candidates.push(
        execFileSync('pg_config', ['--bindir'], { stdio: ['ignore', 'pipe', 'ignore'] })
          .toString()
          .trim(),
      );
    } catch {
      // no pg_config
    }
  }
  const missing = (dir: string) => PROGRAMS.filter((program) => !fs.existsSync(path.join(dir, program)));
  const found = candidates.find((dir) => missing(dir).length === 0);
  if (found) return found;
  const where = candidates.map((dir) => `${dir} lacks ${missing(dir).join(', ')}`).join('; ') || 'no PostgreSQL found';
  throw new Error(
    `PostgreSQL's server programs (${PROGRAMS.join(', ')}) are missing (${where}): install PostgreSQL's server package, e.g. apt-get install postgresql, or set PG_BIN_DIR`,
  );
}

function osUser(name: string): OsUser {
  const id = (flag: string) =>
    Number(
      execFileSync('id', [flag, name], { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim(),
    );
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error(`PostgreSQL cannot run as root and there is no "${name}" user to run it as: create it (useradd ${name})`);
  }
}

async function twoFreePorts(): Promise<[number, number]> {
  const first = await freePort();
  let second = await freePort();
  while (second === first) second = await freePort();
  return [first, second];
}

function settings(): string[] {
  return SETTINGS.flatMap((setting) => ['-c', setting]);
}

/** Runs one of PostgreSQL's programs, its output read throughout (a full pipe would block a server's logging). */
function launch(context: Context, program: string, args: string[]): Server {
  const binary = path.join(context.binaries, program);
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
  const child = spawn(binary, args, {
    ...(context.runAs ? { uid: context.runAs.uid, gid: context.runAs.gid } : {}),
    cwd: context.directory,
    env: { ...process.env, LC_MESSAGES: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let done = false;
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      keep(`could not run ${binary}: ${error.code ?? error.message}`);
      done = true;
      resolve(null);
    });
    child.once('close', (code) => {
      done = true;
      resolve(code);
    });
  });
  return { child, exited, stopped: () => done, lastOutput: () => output.join('\n') };
}

async function runToEnd(program: Server): Promise<void> {
  const code = await program.exited;
  if (code !== 0) throw new Error(`${program.child.spawnfile} failed (exit code ${code}):\n${program.lastOutput()}`);
}

/** Waits (30 s at most) until `check` answers `ok` on the server; throws with its last output when it exits or the time is up. */
async function waitUntilAnswers(server: Server, url: string, what: string, check: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const ok = await query<{ ok: boolean }>(url, check).then(
      (rows) => rows[0]?.ok === true,
      () => false,
    );
    if (ok) return;
    if (server.stopped() || Date.now() > deadline) {
      server.child.kill('SIGKILL');
      await server.exited;
      throw new Error(`${what} did not start on ${new URL(url).host}:\n${server.lastOutput() || 'no output'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** SIGINT (PostgreSQL's fast shutdown), SIGKILL when it has not exited 10 s later. */
async function stopServer(server: Server): Promise<void> {
  if (server.stopped()) return;
  server.child.kill('SIGINT');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await server.exited;
  clearTimeout(timer);
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

async function query<Row extends pg.QueryResultRow>(url: string, text: string): Promise<Row[]> {
  const client = await connect(url);
  try {
    return (await client.query<Row>(text)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}
