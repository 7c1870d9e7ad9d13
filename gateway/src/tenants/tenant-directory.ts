import type { Redis } from 'ioredis';
import type { Logger, PrismaClient, TenantRef } from '@academy/platform';

const CHANNEL = 'tenants:invalidated';

/** A tenant as the gateway needs it: its identity (forwarded to subgraphs) and its document policy. */
export interface DirectoryTenant extends TenantRef {
  /** It may send documents that are not the first-party clients' persisted ones (settings.arbitraryDocuments). */
  arbitraryDocuments: boolean;
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
 * Tenant configs by slug: this process's memory, then Redis (shared by every gateway), then the
 * database's narrow app_tenant_by_slug function. `invalidate` drops a slug everywhere (Redis
 * key and, over pub/sub, every gateway's memory). With Redis down it keeps answering from the
 * database.
 */
export class TenantDirectory {
  private readonly local = new Map<string, { tenant: DirectoryTenant | null; until: number }>();
  private readonly ttlSeconds: number;
  private readonly missTtlSeconds: number;
  private readonly localTtlMs: number;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly keyPrefix: string,
    private readonly logger: Logger,
    options: TenantDirectoryOptions = {},
  ) {
    this.ttlSeconds = options.ttlSeconds ?? 300;
    this.missTtlSeconds = options.missTtlSeconds ?? 30;
    this.localTtlMs = options.localTtlMs ?? 5_000;
  }

  async start(): Promise<void> {
    this.subscriber.on('message', (channel: string, slug: string) => {
      if (channel === this.channel) this.local.delete(slug);
    });
    await this.subscriber
      .subscribe(this.channel)
      .catch((error: Error) => this.logger.warn({ err: error.message }, 'tenant invalidation channel unavailable'));
  }

  async bySlug(slug: string): Promise<DirectoryTenant | null> {
    const cached = this.local.get(slug);
    if (cached && cached.until > Date.now()) return cached.tenant;
    let tenant: DirectoryTenant | null | undefined;
    const shared = await this.redis.get(this.key(slug)).catch(() => undefined);
    if (shared !== undefined && shared !== null) tenant = JSON.parse(shared) as DirectoryTenant | null;
    if (tenant === undefined) {
      const rows = await this.prisma.$queryRaw<DirectoryTenant[]>`
        SELECT id::text AS id, slug, name, tier::text AS tier, arbitrary_documents AS "arbitraryDocuments" FROM app_tenant_by_slug(${slug})`;
      tenant = rows[0] ?? null;
      await this.redis
        .set(this.key(slug), JSON.stringify(tenant), 'EX', tenant ? this.ttlSeconds : this.missTtlSeconds)
        .catch(() => undefined);
    }
    this.local.set(slug, { tenant, until: Date.now() + this.localTtlMs });
    return tenant;
  }

  /** After a tenant changes (rename, tier): every gateway forgets it. */
  async invalidate(slug: string): Promise<void> {
    this.local.delete(slug);
    await this.redis.del(this.key(slug));
    await this.redis.publish(this.channel, slug);
  }

  private get channel(): string {
    return `${this.keyPrefix}${CHANNEL}`;
  }

  private key(slug: string): string {
    return `${this.keyPrefix}tenant:${slug}`;
  }
}
