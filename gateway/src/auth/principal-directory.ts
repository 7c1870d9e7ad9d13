import type { Redis } from 'ioredis';
import { principalCacheKey, principalChangedChannel } from '@academy/events';
import type { Logger, Persona, PrismaClient, UserStatus } from '@academy/platform';

/** A signed-in person as they are now (not as their token was issued). */
export interface Principal {
  persona: Persona;
  status: UserStatus;
}

export interface PrincipalDirectoryOptions {
  /** How long this process trusts its copy without asking Redis (changes are announced anyway). */
  localTtlMs?: number;
  /** Most people kept in this process's memory (the oldest go first). */
  maxEntries?: number;
  /** How long Redis keeps a person's state. */
  ttlSeconds?: number;
}

type Listener = (change: { tenantId: string; userId: string }) => void;

/**
 * Every signed-in request's current persona and status: this process's memory (bounded), then
 * Redis (shared by every gateway), then the database's narrow app_principal function. A change
 * (principal-changed over pub/sub) drops the person everywhere at once and is handed to the
 * listeners (the subscription server closes their sockets). With Redis down it asks the database.
 */
export class PrincipalDirectory {
  private readonly local = new Map<string, { principal: Principal | null; until: number }>();
  private readonly listeners = new Set<Listener>();
  private readonly localTtlMs: number;
  private readonly maxEntries: number;
  private readonly ttlSeconds: number;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly keyPrefix: string,
    private readonly logger: Logger,
    options: PrincipalDirectoryOptions = {},
  ) {
    this.localTtlMs = options.localTtlMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 100_000;
    this.ttlSeconds = options.ttlSeconds ?? 600;
  }

  async start(): Promise<void> {
    const pattern = principalChangedChannel.pattern(this.keyPrefix);
    this.subscriber.on('pmessage', (matched: string, _channel: string, message: string) => {
      if (matched !== pattern) return;
      try {
        const change = principalChangedChannel.decode(message);
        this.local.delete(this.id(change.tenantId, change.userId));
        for (const listener of this.listeners) listener(change);
      } catch (error) {
        this.logger.warn({ err: (error as Error).message }, 'unreadable principal change');
      }
    });
    await this.subscriber
      .psubscribe(pattern)
      .catch((error: Error) => this.logger.warn({ err: error.message }, 'principal change channel unavailable'));
  }

  /** The person's current persona and status; null when they are not a user of ours (an external identity provider's). */
  async current(tenantId: string, userId: string): Promise<Principal | null> {
    const id = this.id(tenantId, userId);
    const cached = this.local.get(id);
    if (cached && cached.until > Date.now()) return cached.principal;
    const key = principalCacheKey(this.keyPrefix, tenantId, userId);
    let principal: Principal | null | undefined;
    const shared = await this.redis.get(key).catch(() => undefined);
    if (shared !== undefined && shared !== null) principal = JSON.parse(shared) as Principal | null;
    if (principal === undefined) {
      const rows = await this.prisma.$queryRaw<Principal[]>`
        SELECT persona::text AS persona, status::text AS status FROM app_principal(${tenantId}::uuid, ${userId}::uuid)`;
      principal = rows[0] ?? null;
      await this.redis.set(key, JSON.stringify(principal), 'EX', this.ttlSeconds).catch(() => undefined);
    }
    this.local.delete(id);
    this.local.set(id, { principal, until: Date.now() + this.localTtlMs });
    if (this.local.size > this.maxEntries) this.local.delete(this.local.keys().next().value!);
    return principal;
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private id(tenantId: string, userId: string): string {
    return `${tenantId}:${userId}`;
  }
}
