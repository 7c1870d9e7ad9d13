import type { Redis } from '@academy/platform';
import { tenantCacheKey, tenantChangedChannel } from '@academy/events';
import type { Logger, PrismaClient, TenantRef, TenantStatus } from '@academy/platform';
import { LayeredCache } from '../caching/layered-cache';

/** A tenant as the gateway needs it: its identity (forwarded to subgraphs) and its document policy. */
export interface DirectoryTenant extends TenantRef {
  /** It may send documents that are not the first-party clients' persisted ones (settings.arbitraryDocuments). */
  arbitraryDocuments: boolean;
  /** SUSPENDED: its requests answer TENANT_SUSPENDED (public verification excepted). */
  status: TenantStatus;
}

export interface TenantDirectoryOptions {
  /** How long Redis keeps a tenant's config. */
  ttlSeconds?: number;
  /** How long an unknown slug is remembered as unknown. */
  missTtlSeconds?: number;
  /** How long this process trusts its own copy without asking Redis. */
  localTtlMs?: number;
}

/**
 * Tenant configs by slug (a LayeredCache): this process's memory, then Redis (shared by every
 * gateway), then the database's narrow app_tenant_by_slug function. `invalidate` drops a slug everywhere (Redis
 * key and, over pub/sub, every gateway's memory). With Redis down it keeps answering from the
 * database.
 */
export class TenantDirectory {
  private readonly cache: LayeredCache<DirectoryTenant | null>;
  private readonly listeners = new Set<(slug: string) => void>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly keyPrefix: string,
    private readonly logger: Logger,
    options: TenantDirectoryOptions = {},
  ) {
    const ttlSeconds = options.ttlSeconds ?? 300;
    const missTtlSeconds = options.missTtlSeconds ?? 30;
    this.cache = new LayeredCache(redis, {
      localTtlMs: options.localTtlMs ?? 5_000,
      maxEntries: 10_000,
      redisTtlSeconds: (tenant) => (tenant ? ttlSeconds : missTtlSeconds),
    });
  }

  async start(): Promise<void> {
    this.subscriber.on('message', (channel: string, slug: string) => {
      if (channel !== this.channel) return;
      this.cache.forgetLocally(this.key(slug));
      for (const listener of this.listeners) listener(slug);
    });
    await this.subscriber
      .subscribe(this.channel)
      .catch((error: Error) => this.logger.warn({ err: error.message }, 'tenant invalidation channel unavailable'));
  }

  async bySlug(slug: string): Promise<DirectoryTenant | null> {
    return this.cache.get(this.key(slug), async () => {
      const rows = await this.prisma.$queryRaw<DirectoryTenant[]>`
        SELECT id::text AS id, slug, name, tier::text AS tier, arbitrary_documents AS "arbitraryDocuments", status::text AS status
        FROM app_tenant_by_slug(${slug})`;
      return rows[0] ?? null;
    });
  }

  /** After a tenant changes (rename, tier, status): every gateway forgets it. */
  async invalidate(slug: string): Promise<void> {
    await this.cache.forget(this.key(slug));
    await this.redis.publish(this.channel, slug);
  }

  /** Told of every tenant that changed (its slug): the subscription server closes its sockets. */
  onChange(listener: (slug: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private get channel(): string {
    return tenantChangedChannel(this.keyPrefix);
  }

  private key(slug: string): string {
    return tenantCacheKey(this.keyPrefix, slug);
  }
}
