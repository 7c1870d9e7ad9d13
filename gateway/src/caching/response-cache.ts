import type { ApolloServerPlugin } from '@apollo/server';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type { Redis } from '@academy/platform';
import { STANDARDS_VERSION_KEY } from '@academy/platform';
import type { GatewayContext } from '../gateway-context';
import type { GatewayMetrics } from '../telemetry/metrics';

/** Apollo's KeyValueCache on Redis: shared by every gateway; a Redis that cannot answer is a miss, never an error. */
export class RedisKeyValueCache implements KeyValueCache<string> {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.prefix + key).catch(() => null)) ?? undefined;
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    const ttl = options?.ttl;
    if (!ttl || ttl <= 0) return;
    await this.redis.set(this.prefix + key, value, 'EX', Math.ceil(ttl)).catch(() => undefined);
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.del(this.prefix + key).catch(() => 0)) > 0;
  }
}

/**
 * Whole responses of public data, shared in Redis per tenant (and per version of the standards
 * catalogue; course data is at most its max-age, 60 s, old): only requests without a token
 * read or fill the cache, so a response can only hold what anyone may see of that tenant;
 * the subgraphs' @cacheControl hints decide what is cacheable and for how long (a field
 * without a hint makes the response uncacheable). Signed-in responses are marked
 * `private, no-store` for every cache between us and the client.
 */
export function responseCache(redis: Redis, prefix: string, metrics: GatewayMetrics): ApolloServerPlugin<GatewayContext>[] {
  const shared = (context: GatewayContext) => !context.viewer && !context.internal;
  // A standards sync bumps the catalogue's version: cached answers of the old one are not read again.
  const standardsVersion = async () => (await redis.get(`${prefix}${STANDARDS_VERSION_KEY}`).catch(() => null)) ?? '0';
  return [
    responseCachePlugin<GatewayContext>({
      cache: new RedisKeyValueCache(redis, `${prefix}response-cache:`),
      sessionId: async ({ contextValue }) => contextValue.viewer?.userId ?? null,
      // Asked for every query before shouldReadFromCache: the key of a request that neither reads nor
      // writes the cache is never used, so it does not cost a Redis read.
      extraCacheKeyData: async ({ contextValue }) =>
        shared(contextValue) ? { tenant: contextValue.tenant.id, standards: await standardsVersion() } : null,
      shouldReadFromCache: async ({ contextValue }) => shared(contextValue),
      shouldWriteToCache: async ({ contextValue }) => shared(contextValue),
    }),
    {
      async requestDidStart() {
        return {
          async willSendResponse({ contextValue, response, operation }) {
            if (contextValue.viewer) response.http.headers.set('cache-control', 'private, no-store');
            if (!operation || operation.operation !== 'query' || !shared(contextValue)) return;
            metrics.responseCache.inc({ result: response.http.headers.has('age') ? 'hit' : 'miss' });
          },
        };
      },
    },
  ];
}
