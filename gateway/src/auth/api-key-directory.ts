import type { Redis } from '@academy/platform';
import { apiKeyCacheKey, apiKeyRevokedChannel, watchChannel } from '@academy/events';
import type { ApiKeyScope, Logger, PrismaClient } from '@academy/platform';
import { hashApiKey } from '@academy/tokens';
import { LayeredCache } from '../caching/layered-cache';

/** A tenant's integration, as an API key authenticates it. */
export interface ApiKeyPrincipal {
  id: string;
  tenantId: string;
  scopes: ApiKeyScope[];
}

/** How often, at most, a key's lastUsedAt is written. */
const USE_RECORDED_EVERY_MS = 60_000;

/**
 * API keys by their secret's SHA-256 (a LayeredCache: this process's memory, Redis, then the
 * database's narrow app_api_key function). A revoked or unknown key is null. Revocation
 * (api-key-revoked over pub/sub) drops it from every gateway's memory at once. Use is recorded
 * at most once a minute per key and gateway, off the request's path.
 */
export class ApiKeyDirectory {
  private readonly cache: LayeredCache<ApiKeyPrincipal | null>;
  private readonly recorded = new Map<string, number>();

  constructor(
    private readonly prisma: PrismaClient,
    redis: Redis,
    private readonly subscriber: Redis,
    private readonly keyPrefix: string,
    private readonly logger: Logger,
  ) {
    this.cache = new LayeredCache(redis, {
      localTtlMs: 60_000,
      maxEntries: 10_000,
      redisTtlSeconds: (key) => (key ? 600 : 60),
    });
  }

  async start(): Promise<void> {
    await watchChannel(
      this.subscriber,
      this.keyPrefix,
      apiKeyRevokedChannel,
      (revoked) => this.cache.forgetLocally(apiKeyCacheKey(this.keyPrefix, revoked.secretHash)),
      (problem, error) => this.logger.warn({ err: error.message }, problem),
    );
  }

  /** The key's integration, or null when the secret is unknown or revoked. */
  async find(secret: string): Promise<ApiKeyPrincipal | null> {
    const secretHash = hashApiKey(secret);
    const key = await this.cache.get(apiKeyCacheKey(this.keyPrefix, secretHash), async () => {
      const rows = await this.prisma.$queryRaw<{ id: string; tenantId: string; scopes: ApiKeyScope[]; revoked: boolean }[]>`
        SELECT id::text AS id, tenant_id::text AS "tenantId", scopes::text[] AS scopes, revoked FROM app_api_key(${secretHash})`;
      const row = rows[0];
      return row && !row.revoked ? { id: row.id, tenantId: row.tenantId, scopes: row.scopes } : null;
    });
    if (key) this.recordUse(key.id);
    return key;
  }

  private recordUse(id: string): void {
    const now = Date.now();
    if ((this.recorded.get(id) ?? 0) > now - USE_RECORDED_EVERY_MS) return;
    this.recorded.set(id, now);
    if (this.recorded.size > 10_000) this.recorded.delete(this.recorded.keys().next().value!);
    // Kept to the minute: a lost write only makes lastUsedAt a little older.
    void this.prisma.$queryRaw`SELECT app_api_key_used(${id}::uuid, ${new Date(now)})`.catch((error: Error) =>
      this.logger.warn({ err: error.message, apiKeyId: id }, 'could not record an API key’s use'),
    );
  }
}
