import type { ConnectionOptions } from 'bullmq';
import { createRedis, parseRedisUrl } from '@academy/platform';

/**
 * BullMQ's connection for REDIS_URL. One Redis: its URL (BullMQ opens the connections it needs).
 * A Redis Cluster or Sentinels: a connection made like every other (createRedis), which BullMQ
 * shares for commands and duplicates for its blocking ones; `maxRetriesPerRequest: null` as
 * BullMQ requires.
 */
export function queueConnectionOf(url: string, name = 'bullmq'): ConnectionOptions {
  if (parseRedisUrl(url)?.kind === 'single') return { url, maxRetriesPerRequest: null };
  return createRedis(url, { name, maxRetriesPerRequest: null });
}

/**
 * BullMQ's key prefix under the deployment's REDIS_PREFIX, hash-tagged (`{academy:bull}`): on a
 * Redis Cluster every key of every queue then lives in one slot, as BullMQ's Lua scripts need.
 */
export function queuePrefixOf(redisPrefix: string): string {
  return `{${redisPrefix}bull}`;
}
