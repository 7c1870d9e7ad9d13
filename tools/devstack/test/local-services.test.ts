import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import pg from 'pg';
import { freePort, until } from '@academy/testing';
import { platformBinaries, startEmbeddedPostgres } from '../src/embedded-postgres';
import { startLocalRedis } from '../src/local-redis';
import { portInUse, redisAnswers } from '../src/net';
import { StackError } from '../src/stack-error';

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
    const port = await freePort();
    const handlers = () => ['SIGINT', 'SIGTERM', 'SIGHUP'].map((signal) => process.listenerCount(signal));
    const before = handlers();
    const postgres = await startEmbeddedPostgres({ dataDir, port, log: () => undefined });
    expect({ owned: postgres.owned, url: postgres.url, handlersAdded: handlers().map((count, index) => count - before[index]!) }).toEqual({
      owned: true,
      url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`,
      // Ctrl+C is the commands' to handle: they stop the services first, then PostgreSQL.
      handlersAdded: [0, 0, 0],
    });
    // PostgreSQL stops by itself, as a terminal's Ctrl+C to the whole process group has it do.
    const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
    process.kill(Number((await readFile(pidFile, 'utf8')).split('\n')[0]), 'SIGINT');
    expect(
      await until(
        () => existsSync(pidFile),
        (exists) => !exists,
        { timeoutMs: 10_000 },
      ),
    ).toBe(false);
    let stopped = false;
    void postgres.stop().then(() => (stopped = true));
    expect(await until(() => stopped, Boolean, { timeoutMs: 10_000 })).toBe(true);
    expect(await portInUse(port)).toBe(false);
  }, 60_000);

  it('says in one line when PostgreSQL cannot run', async () => {
    const port = await freePort();
    const broken = await mkdtemp(path.join(os.tmpdir(), 'academy-broken-binaries-'));
    try {
      await chmod(dataDir, 0o755);
      await chmod(broken, 0o755);
      await mkdir(path.join(broken, 'bin'));
      // Present but not a program: the exec fails, as a binary of another machine's would.
      await writeFile(path.join(broken, 'bin', 'postgres'), '', { mode: 0o755 });
      await writeFile(path.join(broken, 'bin', 'initdb'), '', { mode: 0o644 });
      await expect(startEmbeddedPostgres({ dataDir, port, log: () => undefined, binariesDir: broken })).rejects.toThrow(
        new StackError(
          `Embedded PostgreSQL could not initialise ${path.join(dataDir, 'postgres')} (could not run ${path.join(broken, 'bin', 'initdb')}: EACCES); set DATABASE_URL to use your own PostgreSQL.`,
        ),
      );
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });

  it('says in one line when PostgreSQL is not installed', async () => {
    const port = await freePort();
    const empty = await mkdtemp(path.join(os.tmpdir(), 'academy-no-binaries-'));
    try {
      await chmod(dataDir, 0o755);
      await chmod(empty, 0o755);
      await expect(startEmbeddedPostgres({ dataDir, port, log: () => undefined, binariesDir: empty })).rejects.toThrow(
        new StackError(
          `Embedded PostgreSQL's binaries are missing from ${empty}: reinstall (rm -rf node_modules && npm ci), or set DATABASE_URL to use your own PostgreSQL.`,
        ),
      );
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  // `git clone` into /root/newcomer (mode 0700), then `npm start` as root: the postgres user PostgreSQL runs as cannot enter it.
  (process.getuid?.() === 0 ? it : it.skip)(
    'as root, runs PostgreSQL from a clone in a private directory, keeping its data between runs',
    async () => {
      const clone = await mkdtemp(path.join(os.tmpdir(), 'academy-private-clone-'));
      const reachableDir = await mkdtemp(path.join(os.tmpdir(), 'academy-reachable-'));
      try {
        expect((await stat(clone)).mode & 0o777).toBe(0o700);
        await chmod(reachableDir, 0o755);
        const binariesDir = path.join(clone, 'node_modules', 'native');
        await cp(platformBinaries(), binariesDir, { recursive: true, verbatimSymlinks: true });
        const privateData = path.join(clone, '.data');
        const port = await freePort();
        const start = async () => {
          const lines: string[] = [];
          const postgres = await startEmbeddedPostgres({
            dataDir: privateData,
            port,
            log: (line) => lines.push(line),
            binariesDir,
            reachableDir,
          });
          return { postgres, lines };
        };

        const first = await start();
        const moved = first.lines[0]!.match(/binaries in (\S+), data in (\S+)$/);
        expect(first.lines).toEqual([
          `embedded PostgreSQL runs as the postgres user, who cannot enter ${privateData}: binaries in ${moved?.[1]}, data in ${moved?.[2]}`,
          `initialising embedded PostgreSQL in ${path.join(moved![2]!, 'postgres')}`,
        ]);
        expect(path.dirname(moved![1]!)).toBe(reachableDir);
        expect(path.dirname(moved![2]!)).toBe(reachableDir);
        const client = new pg.Client({ connectionString: first.postgres.url });
        await client.connect();
        await client.query('CREATE TABLE kept (note text)');
        await client.query("INSERT INTO kept VALUES ('still here')");
        const { rows: settings } = await client.query<{ data_directory: string }>('SHOW data_directory');
        await client.end();
        expect(settings).toEqual([{ data_directory: path.join(moved![2]!, 'postgres') }]);
        await first.postgres.stop();

        const second = await start();
        expect(second.lines).toEqual([first.lines[0]]);
        const again = new pg.Client({ connectionString: second.postgres.url });
        await again.connect();
        const { rows } = await again.query('SELECT note FROM kept');
        await again.end();
        await second.postgres.stop();
        expect(rows).toEqual([{ note: 'still here' }]);
        expect(await portInUse(port)).toBe(false);
      } finally {
        await rm(clone, { recursive: true, force: true });
        await rm(reachableDir, { recursive: true, force: true });
      }
    },
    90_000,
  );
});
