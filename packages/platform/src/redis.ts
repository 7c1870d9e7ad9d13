import { Cluster, Redis as SingleRedis, type RedisOptions } from 'ioredis';
import type { Logger } from './logger';

/** A connection to one Redis (or through Sentinel to its current master), or to a Redis Cluster. */
export type Redis = SingleRedis | Cluster;

/**
 * Where REDIS_URL points:
 * - `redis://[user:password@]host:port[/db]` (or `rediss://` with TLS): one Redis;
 * - `redis+cluster://[user:password@]host:port,host:port,…` (`rediss+cluster://` with TLS): a
 *   Redis Cluster, any of its nodes to start from;
 * - `redis+sentinel://[user:password@]host:port,host:port,…/<master name>[/db]`: the master that
 *   these Sentinels name, followed through failovers.
 */
export type RedisTarget =
  | { kind: 'single'; url: string }
  | { kind: 'cluster'; nodes: { host: string; port: number }[]; username?: string; password?: string; tls: boolean }
  | {
      kind: 'sentinel';
      sentinels: { host: string; port: number }[];
      name: string;
      db: number;
      username?: string;
      password?: string;
      tls: boolean;
    };

const MULTI_NODE = /^(rediss?)\+(cluster|sentinel):\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#]+)(?:\/([^?#]*))?$/;

/** REDIS_URL read, or null when it is none of the forms RedisTarget names. */
export function parseRedisUrl(url: string): RedisTarget | null {
  const multi = MULTI_NODE.exec(url);
  if (!multi) {
    try {
      return ['redis:', 'rediss:'].includes(new URL(url).protocol) ? { kind: 'single', url } : null;
    } catch {
      return null;
    }
  }
  const [, scheme, kind, user, password, hostList, rest] = multi;
  const nodes = hostList!.split(',').map((node) => {
    const match = /^([^:,\s]+):(\d{1,5})$/.exec(node.trim());
    return match && Number(match[2]) > 0 && Number(match[2]) < 65_536 ? { host: match[1]!, port: Number(match[2]) } : null;
  });
  if (nodes.length === 0 || nodes.some((node) => node === null)) return null;
  const credentials = {
    ...(user ? { username: decodeURIComponent(user) } : {}),
    ...(password ? { password: decodeURIComponent(password) } : {}),
  };
  const tls = scheme === 'rediss';
  if (kind === 'cluster') return rest ? null : { kind: 'cluster', nodes: nodes as { host: string; port: number }[], ...credentials, tls };
  const [name, db = '0', ...extra] = (rest ?? '').split('/');
  if (!name || extra.length > 0 || !/^\d{1,2}$/.test(db)) return null;
  return {
    kind: 'sentinel',
    sentinels: nodes as { host: string; port: number }[],
    name: decodeURIComponent(name),
    db: Number(db),
    ...credentials,
    tls,
  };
}

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
  const target = parseRedisUrl(url);
  if (!target) throw new Error('REDIS_URL is not a redis://, rediss://, redis+cluster:// or redis+sentinel:// URL');
  const connection: RedisOptions = {
    connectionName: options.name,
    maxRetriesPerRequest: options.maxRetriesPerRequest === undefined ? 3 : options.maxRetriesPerRequest,
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2000),
    enableOfflineQueue: options.enableOfflineQueue ?? true,
    // A socket that never connected does not close by itself; do not wait long for it.
    disconnectTimeout: 200,
    lazyConnect: options.lazyConnect ?? false,
    ...(options.keyPrefix ? { keyPrefix: options.keyPrefix } : {}),
  };
  let redis: Redis;
  if (target.kind === 'single') redis = new SingleRedis(target.url, connection);
  else if (target.kind === 'sentinel')
    redis = new SingleRedis({
      ...connection,
      sentinels: target.sentinels,
      name: target.name,
      db: target.db,
      ...(target.username ? { username: target.username } : {}),
      ...(target.password ? { password: target.password } : {}),
      ...(target.tls ? { tls: {} } : {}),
    });
  else
    redis = new Cluster(target.nodes, {
      clusterRetryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2000),
      enableOfflineQueue: connection.enableOfflineQueue,
      lazyConnect: connection.lazyConnect,
      ...(options.keyPrefix ? { keyPrefix: options.keyPrefix } : {}),
      redisOptions: {
        ...connection,
        keyPrefix: undefined,
        ...(target.username ? { username: target.username } : {}),
        ...(target.password ? { password: target.password } : {}),
        ...(target.tls ? { tls: {} } : {}),
      },
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
