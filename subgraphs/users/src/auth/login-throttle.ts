import type { Redis } from '@academy/platform';

/** Wrong passwords for one account from one address before each further try must wait. */
export const FREE_FAILURES = 5;
/** The wait after the FREE_FAILURES-th failure; it doubles with each failure after, up to MAX_WAIT_MS. */
export const FIRST_WAIT_MS = 1_000;
export const MAX_WAIT_MS = 15 * 60_000;
/** Failures are forgotten this long after the last one. */
const MEMORY_SECONDS = 60 * 60;

/**
 * Login protection without a lock anybody can trigger: wrong passwords are counted per account
 * *and address*, and after a few each further try from that address must wait longer (1 s, 2 s,
 * 4 s, ... up to 15 minutes). The owner signing in from an address with no failures waits for
 * nothing; the gateway's per-address budget slows password spraying across accounts.
 */
export class LoginThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  /** Milliseconds the next try of this account from this address must still wait (0: none). */
  async waitMs(tenantId: string, userId: string, address: string, now = Date.now()): Promise<number> {
    const state = await this.redis.hgetall(this.key(tenantId, userId, address)).catch(() => ({}) as Record<string, string>);
    const failures = Number(state.failures ?? 0);
    if (failures < FREE_FAILURES) return 0;
    const wait = Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** (failures - FREE_FAILURES));
    return Math.max(0, Number(state.last ?? 0) + wait - now);
  }

  async failed(tenantId: string, userId: string, address: string, now = Date.now()): Promise<number> {
    const key = this.key(tenantId, userId, address);
    const [[, failures]] = (await this.redis
      .multi()
      .hincrby(key, 'failures', 1)
      .hset(key, 'last', now)
      .expire(key, MEMORY_SECONDS)
      .exec()) as [[unknown, number]];
    return failures;
  }

  async succeeded(tenantId: string, userId: string, address: string): Promise<void> {
    await this.redis.del(this.key(tenantId, userId, address)).catch(() => undefined);
  }

  private key(tenantId: string, userId: string, address: string): string {
    return `${this.keyPrefix}login-failures:${tenantId}:${userId}:${address}`;
  }
}
