import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './processes';
import { until } from './until';

const run = promisify(execFile);

export interface RunningRedisCluster {
  /** REDIS_URL of the cluster: `redis+cluster://127.0.0.1:<port>,…`. */
  url: string;
  ports: number[];
  /** Stops one master (SIGKILL), as a crash would. */
  kill(port: number): void;
  stop(): Promise<void>;
}

/**
 * A Redis Cluster of `masters` nodes (no replicas) from the machine's `redis-server` in cluster
 * mode, in a temporary directory, the slots spread by `redis-cli --cluster create`; ready when
 * every node reports `cluster_state:ok`.
 */
export async function startRedisCluster(options: { masters?: number } = {}): Promise<RunningRedisCluster> {
  const masters = options.masters ?? 3;
  const directory = await mkdtemp(path.join(os.tmpdir(), 'academy-redis-cluster-'));
  const ports: number[] = [];
  for (let index = 0; index < masters; index += 1) {
    let port = await freePort();
    // The cluster bus listens on port + 10000: both must be free.
    while (port + 10_000 > 65_535 || ports.includes(port)) port = await freePort();
    ports.push(port);
  }
  const nodes = new Map<number, ChildProcess>();
  for (const port of ports) {
    const node = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--cluster-node-timeout',
        '2000',
        '--dir',
        directory,
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdio: 'ignore' },
    );
    nodes.set(port, node);
  }
  const stop = async () => {
    for (const node of nodes.values()) node.kill('SIGKILL');
    await rm(directory, { recursive: true, force: true });
  };
  try {
    for (const port of ports) await waitFor(async () => (await cli(port, 'ping')) === 'PONG', `redis node ${port} answers`);
    await run(
      'redis-cli',
      ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes'],
      {
        timeout: 30_000,
      },
    );
    for (const port of ports)
      await waitFor(async () => (await cli(port, 'cluster', 'info')).includes('cluster_state:ok'), `cluster state ok on ${port}`);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `redis+cluster://${ports.map((port) => `127.0.0.1:${port}`).join(',')}`,
    ports,
    kill(port) {
      nodes.get(port)?.kill('SIGKILL');
    },
    stop,
  };
}

async function cli(port: number, ...command: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-p', String(port), ...command], { timeout: 5_000 }).catch(() => ({ stdout: '' }));
  return stdout.trim();
}

/** Waits (20 s at most) until `check` holds; throws naming what did not happen. */
async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  if (!(await until(check, Boolean, { timeoutMs: 20_000, everyMs: 100 }))) throw new Error(`timed out waiting until ${what}`);
}
