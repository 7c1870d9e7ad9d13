import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { startEmbeddedPostgres } from '../src/embedded-postgres';
import { startLocalRedis } from '../src/local-redis';
import { portInUse, redisAnswers } from '../src/net';
import { StackError } from '../src/stack-error';

const run = promisify(execFile);

async function occupiedPort(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('local services of `npm start` and `npm test`', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'academy-devstack-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('says in one line when the embedded PostgreSQL port is taken', async () => {
    const taken = await occupiedPort();
    try {
      const start = startEmbeddedPostgres({ dataDir, port: taken.port, log: () => undefined });
      await expect(start).rejects.toThrow(StackError);
      await expect(start).rejects.toThrow(
        `Port ${taken.port} is taken by another program: set EMBEDDED_POSTGRES_PORT to a free port, or DATABASE_URL to use your own PostgreSQL.`,
      );
    } finally {
      await taken.close();
    }
  });

  it('says in one line when the Redis port is taken', async () => {
    const taken = await occupiedPort();
    try {
      await expect(startLocalRedis({ dataDir, port: taken.port })).rejects.toThrow(
        `Port ${taken.port} is taken by another program: set EMBEDDED_REDIS_PORT to a free port, or REDIS_URL to use your own Redis.`,
      );
    } finally {
      await taken.close();
    }
  });

  it('says what to do when redis-server is not on PATH', async () => {
    const free = await occupiedPort();
    await free.close();
    await expect(startLocalRedis({ dataDir, port: free.port, searchPath: '/nonexistent:/also-not-here' })).rejects.toThrow(
      'redis-server was not found on PATH and REDIS_URL is not set: install Redis (Debian/Ubuntu: apt install redis-server; macOS: brew install redis) or set REDIS_URL=redis://host:6379.',
    );
  });

  it('starts a redis-server from PATH, reuses it while it runs, and stops it', async () => {
    const free = await occupiedPort();
    await free.close();
    const redis = await startLocalRedis({ dataDir, port: free.port });
    try {
      expect(redis).toMatchObject({ url: `redis://127.0.0.1:${free.port}`, owned: true });
      expect(await redisAnswers('127.0.0.1', free.port)).toBe(true);
      const again = await startLocalRedis({ dataDir, port: free.port });
      expect(again.owned).toBe(false);
    } finally {
      await redis.stop();
    }
    expect(await redisAnswers('127.0.0.1', free.port)).toBe(false);
  });

  it('starts embedded PostgreSQL without taking over Ctrl+C, and stops even when PostgreSQL is gone already', async () => {
    // As root, postgres runs as the postgres user: it must reach the data directory.
    await chmod(dataDir, 0o755);
    const free = await occupiedPort();
    await free.close();
    const fixture = path.join(__dirname, 'fixtures', 'embedded-postgres-stop.ts');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', fixture, dataDir, String(free.port)], { timeout: 50_000 });
    expect(JSON.parse(stdout)).toEqual({
      owned: true,
      url: `postgresql://postgres:postgres@127.0.0.1:${free.port}/postgres`,
      // embedded-postgres's own handlers would stop PostgreSQL and exit before the services had stopped.
      handlersAdded: [0, 0, 0],
      stop: 'stopped',
    });
    expect(await portInUse(free.port)).toBe(false);
  }, 60_000);
});
