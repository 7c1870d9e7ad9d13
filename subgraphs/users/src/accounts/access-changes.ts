import { principalCacheKey, principalChangedChannel } from '@academy/events';
import type { Redis } from '@academy/platform';

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
}
