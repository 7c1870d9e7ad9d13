import { principalCacheKey, principalChangedChannel, sessionCacheKey, tenantCacheKey, tenantChangedChannel } from '@academy/events';
import type { Redis } from '@academy/platform';

/** Longer than any access token of ours lives (AUTH_TOKEN_TTL_SECONDS is at most a day). */
const ENDED_SESSION_MEMORY_SECONDS = 86_400;

/**
 * Tells every gateway that a person's access changed (persona, status), after the change
 * committed: the shared cache entry goes, and the announcement drops each gateway's copy and
 * closes the person's open subscriptions. The gateways' copies also expire on their own, so an
 * announcement lost to a Redis outage delays a change by at most a minute.
 */
export class AccessChanges {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  async announce(tenantId: string, userId: string): Promise<void> {
    await this.redis.del(principalCacheKey(this.keyPrefix, tenantId, userId));
    await principalChangedChannel.publish(this.redis, this.keyPrefix, tenantId, { tenantId, userId });
  }

  /**
   * Sessions ended: the shared cache says so at once (kept as long as an access token lives, so
   * no gateway reloads a stale answer), and every gateway drops its copy and closes the sockets
   * those sessions opened.
   */
  async sessionsEnded(tenantId: string, userId: string, sessionIds: string[]): Promise<void> {
    // One SET each (not one MULTI): on a Redis Cluster the sessions' keys live in different slots.
    await Promise.all(
      sessionIds.map((id) => this.redis.set(sessionCacheKey(this.keyPrefix, tenantId, id), 'false', 'EX', ENDED_SESSION_MEMORY_SECONDS)),
    );
    await principalChangedChannel.publish(this.redis, this.keyPrefix, tenantId, { tenantId, userId, sessionIds });
  }

  /** A tenant's status changed: every gateway forgets it (and closes its sockets); the next request sees the new status. */
  async tenantChanged(slug: string): Promise<void> {
    await this.redis.del(tenantCacheKey(this.keyPrefix, slug));
    await this.redis.publish(tenantChangedChannel(this.keyPrefix), slug);
  }
}
