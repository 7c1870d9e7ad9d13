import type { Redis } from '@academy/platform';
import { principalCacheKey, principalChangedChannel, sessionCacheKey, watchChannel } from '@academy/events';
import type { Logger, Persona, PrismaClient, UserStatus } from '@academy/platform';
import { LayeredCache } from '../caching/layered-cache';

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

/** A person's access changed; `sessionIds`: only those sessions of theirs ended. */
export type AccessChange = { tenantId: string; userId: string; sessionIds?: string[] };
type Listener = (change: AccessChange) => void;

/**
 * Every signed-in request's current persona and status, and whether its session is still going (LayeredCaches): this process's memory
 * (bounded), then Redis (shared by every gateway), then the database's narrow app_principal function. A change
 * (principal-changed over pub/sub) drops the person everywhere at once and is handed to the
 * listeners (the subscription server closes their sockets). With Redis down it asks the database.
 */
export class PrincipalDirectory {
  private readonly cache: LayeredCache<Principal | null>;
  /** Whether a session is still going. An ended one is written to Redis by the users subgraph (it never comes back). */
  private readonly sessions: LayeredCache<boolean>;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly prisma: PrismaClient,
    redis: Redis,
    private readonly subscriber: Redis,
    private readonly keyPrefix: string,
    private readonly logger: Logger,
    options: PrincipalDirectoryOptions = {},
  ) {
    const ttlSeconds = options.ttlSeconds ?? 600;
    this.cache = new LayeredCache(redis, {
      localTtlMs: options.localTtlMs ?? 60_000,
      maxEntries: options.maxEntries ?? 100_000,
      redisTtlSeconds: () => ttlSeconds,
    });
    this.sessions = new LayeredCache(redis, {
      localTtlMs: options.localTtlMs ?? 60_000,
      maxEntries: options.maxEntries ?? 100_000,
      // "Going" is asked again within a minute (an announcement lost to a Redis outage delays an ending that long at most).
      redisTtlSeconds: (going) => (going ? 60 : 86_400),
    });
  }

  async start(): Promise<void> {
    await watchChannel(
      this.subscriber,
      this.keyPrefix,
      principalChangedChannel,
      (change) => {
        if (change.sessionIds)
          for (const id of change.sessionIds) this.sessions.forgetLocally(sessionCacheKey(this.keyPrefix, change.tenantId, id));
        else this.cache.forgetLocally(principalCacheKey(this.keyPrefix, change.tenantId, change.userId));
        for (const listener of this.listeners) listener(change);
      },
      (problem, error) => this.logger.warn({ err: error.message }, problem),
    );
  }

  /** The person's current persona and status; null when they are not a user of ours (an external identity provider's). */
  async current(tenantId: string, userId: string): Promise<Principal | null> {
    return this.cache.get(principalCacheKey(this.keyPrefix, tenantId, userId), async () => {
      const rows = await this.prisma.$queryRaw<Principal[]>`
        SELECT persona::text AS persona, status::text AS status FROM app_principal(${tenantId}::uuid, ${userId}::uuid)`;
      return rows[0] ?? null;
    });
  }

  /** Whether the session an access token names is still going (not ended by logout, reuse, a reset or suspension). */
  async sessionGoing(tenantId: string, sessionId: string): Promise<boolean> {
    return this.sessions.get(sessionCacheKey(this.keyPrefix, tenantId, sessionId), async () => {
      const rows = await this.prisma.$queryRaw<{ going: boolean }[]>`
        SELECT app_session_active(${tenantId}::uuid, ${sessionId}::uuid) AS going`;
      return rows[0]?.going === true;
    });
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
