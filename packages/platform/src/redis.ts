import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from './logger';

export type { Redis };

/**
 * A Redis connection that keeps trying to reconnect (capped backoff) instead of failing the
 * process, and says so in the log. BullMQ needs `maxRetriesPerRequest: null` on the
 * connections it blocks on; callers that must fail fast (cache, rate limits) pass a number.
 */
export function createRedis(
  url: string,
  options: { name: string; logger?: Logger; maxRetriesPerRequest?: number | null; keyPrefix?: string } & Pick<
    RedisOptions,
    'lazyConnect' | 'enableOfflineQueue'
  >,
): Redis {
  const redis = new Redis(url, {
    connectionName: options.name,
    maxRetriesPerRequest: options.maxRetriesPerRequest === undefined ? 3 : options.maxRetriesPerRequest,
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2000),
    enableOfflineQueue: options.enableOfflineQueue ?? true,
    // A socket that never connected does not close by itself; do not wait long for it.
    disconnectTimeout: 200,
    lazyConnect: options.lazyConnect ?? false,
    ...(options.keyPrefix ? { keyPrefix: options.keyPrefix } : {}),
  });
  let down = false;
  redis.on('error', (error: Error) => {
    if (!down) options.logger?.warn({ err: error.message, connection: options.name }, 'redis unavailable');
    down = true;
  });
  redis.on('ready', () => {
    if (down) options.logger?.info({ connection: options.name }, 'redis reconnected');
    down = false;
  });
  return redis;
}

/** Closes a connection politely (QUIT), or at once when Redis is not answering. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    await Promise.race([redis.quit().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
  }
  redis.disconnect(false);
}
