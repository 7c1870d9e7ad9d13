import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './processes';
import { until } from './until';

const run = promisify(execFile);
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;

export interface RunningRedisServer {
  /** REDIS_URL of the server: `redis://127.0.0.1:<port>`. */
  url: string;
  port: number;
  /**
   * Stops the server (`SHUTDOWN SAVE`: what it holds is written to its directory and read back by
   * `start()`, as a Redis with persistence keeps its data over a restart), once it has exited.
   */
  stop(): Promise<void>;
  /** Starts it again on the same port and directory, once it answers PING. */
  start(): Promise<void>;
  /** Stops it for good and removes its directory. */
  close(): Promise<void>;
}

/**
 * A Redis of the test's own: the machine's `redis-server` on a free port (no periodic
 * snapshots, no AOF), its directory temporary; for tests that stop and restart Redis without
 * touching the run's. Ready when it answers PING.
 */
export async function startRedisServer(): Promise<RunningRedisServer> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'academy-redis-'));
  const port = await freePort();
  let server: { child: ChildProcess; exited: Promise<void> } | null = null;
  const killOnExit = () => {
    server?.child.kill('SIGKILL');
    fs.rmSync(directory, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);

  const start = async () => {
    if (server) return;
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', directory, '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    server = { child, exited };
    const answered = await until(async () => child.exitCode !== null || (await cli(port, 'ping')) === 'PONG', Boolean, {
      timeoutMs: START_TIMEOUT_MS,
      everyMs: 50,
    });
    if (!answered || child.exitCode !== null) {
      child.kill('SIGKILL');
      server = null;
      throw new Error(`redis-server did not start on port ${port} (exit code ${child.exitCode})`);
    }
  };
  const stop = async () => {
    if (!server) return;
    const { child, exited } = server;
    await cli(port, 'shutdown', 'save');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
    server = null;
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    start,
    async close() {
      process.off('exit', killOnExit);
      if (server) {
        server.child.kill('SIGKILL');
        await server.exited;
        server = null;
      }
      await rm(directory, { recursive: true, force: true });
    },
  };
}

async function cli(port: number, ...command: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-p', String(port), ...command], { timeout: 5_000 }).catch(() => ({ stdout: '' }));
  return stdout.trim();
}
