import type { Redis } from '@academy/platform';

export interface LayeredCacheOptions<T> {
  /** How long this process trusts its own copy without asking Redis. */
  localTtlMs: number;
  /** Most entries kept in this process's memory (the oldest go first). */
  maxEntries: number;
  /** How long Redis keeps a value (it may depend on the value: a miss is kept shorter). */
  redisTtlSeconds(value: T): number;
}

/**
 * A lookup the gateway makes on (nearly) every request: this process's memory (bounded), then
 * Redis (shared by every gateway), then `load` (the database), whose answer is kept in both.
 * With Redis down it loads. Values are JSON (null included: "there is none" is an answer too).
 */
export class LayeredCache<T> {
  private readonly local = new Map<string, { value: T; until: number }>();

  constructor(
    private readonly redis: Redis,
    private readonly options: LayeredCacheOptions<T>,
  ) {}

  async get(key: string, load: () => Promise<T>): Promise<T> {
    const cached = this.local.get(key);
    if (cached && cached.until > Date.now()) return cached.value;
    let value: T | undefined;
    const shared = await this.redis.get(key).catch(() => undefined);
    if (shared !== undefined && shared !== null) value = JSON.parse(shared) as T;
    if (value === undefined) {
      value = await load();
      await this.redis.set(key, JSON.stringify(value), 'EX', this.options.redisTtlSeconds(value)).catch(() => undefined);
    }
    this.local.delete(key);
    this.local.set(key, { value, until: Date.now() + this.options.localTtlMs });
    if (this.local.size > this.options.maxEntries) this.local.delete(this.local.keys().next().value!);
    return value;
  }

  /** Drops this process's copy (another process announced a change). */
  forgetLocally(key: string): void {
    this.local.delete(key);
  }

  /** Drops the value everywhere it is shared: this process and Redis (others are told by their owner's channel). */
  async forget(key: string): Promise<void> {
    this.local.delete(key);
    await this.redis.del(key);
  }
}
