import fs from 'node:fs';
import path from 'node:path';
import { startChildService } from './child-service';
import { portInUse, redisAnswers } from './net';
import { StackError } from './stack-error';

export interface RunningRedis {
  url: string;
  owned: boolean;
  stop(): Promise<void>;
}

/**
 * A redis-server from PATH on 127.0.0.1:<port>, appending to <dataDir>/redis so queued jobs
 * survive a restart. Reuses one already answering on that port.
 */
export async function startLocalRedis(options: { dataDir: string; port: number; searchPath?: string | undefined }): Promise<RunningRedis> {
  const url = `redis://127.0.0.1:${options.port}`;
  if (await redisAnswers('127.0.0.1', options.port)) return { url, owned: false, stop: async () => undefined };
  if (await portInUse(options.port)) {
    throw new StackError(
      `Port ${options.port} is taken by another program: set EMBEDDED_REDIS_PORT to a free port, or REDIS_URL to use your own Redis.`,
    );
  }
  const binary = which('redis-server', options.searchPath ?? process.env.PATH ?? '');
  if (!binary) {
    throw new StackError(
      'redis-server was not found on PATH and REDIS_URL is not set: install Redis (Debian/Ubuntu: apt install redis-server; macOS: brew install redis) or set REDIS_URL=redis://host:6379.',
    );
  }
  const dir = path.join(options.dataDir, 'redis');
  fs.mkdirSync(dir, { recursive: true });
  const service = await startChildService(
    binary,
    ['--port', String(options.port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--daemonize', 'no'],
    {
      name: 'redis-server',
      ready: () => redisAnswers('127.0.0.1', options.port, 200),
      timeoutMs: 10_000,
      hint: 'set REDIS_URL to use your own Redis.',
    },
  );
  return { url, owned: true, stop: service.stop };
}

function which(command: string, searchPath: string): string | null {
  for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}
