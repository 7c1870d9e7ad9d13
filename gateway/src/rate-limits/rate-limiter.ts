import type { Redis } from '@academy/platform';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from '@academy/platform';
import type { GatewayMetrics } from '../telemetry/metrics';

/** One budget to charge: e.g. the tenant's, the user's, an address's logins. */
export interface Bucket {
  /** What the budget is for, in metrics: tenant, user, anonymous, login-address, login-account, signup-address. */
  scope: string;
  key: string;
  points: number;
  windowSeconds: number;
}

export interface BucketState {
  bucket: Bucket;
  remaining: number;
  /** Seconds until the window restarts. */
  resetSeconds: number;
  exceeded: boolean;
}

/** What a charge left: the tightest budget (for RateLimit-* headers) and whether any ran out. */
export interface Charge {
  tightest: BucketState;
  exceeded: BucketState | null;
}

/**
 * Fixed-window budgets in Redis (rate-limiter-flexible), shared by every gateway process. When
 * Redis cannot answer, the same budgets are kept in this process's memory instead of failing
 * requests: logged once when it starts and when it ends, and visible as the metric
 * `academy_gateway_rate_limiter_degraded`.
 */
export class RateLimiter {
  private readonly shared = new Map<string, RateLimiterAbstract>();
  private readonly local = new Map<string, RateLimiterAbstract>();
  private degraded = false;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly metrics: GatewayMetrics,
    private readonly logger: Logger,
  ) {}

  /** Charges each bucket its cost (each is charged even when another has run out). */
  async charge(charges: { bucket: Bucket; cost: number }[]): Promise<Charge> {
    const states = await Promise.all(charges.map(({ bucket, cost }) => this.consume(bucket, Math.max(1, Math.min(cost, bucket.points)))));
    const exceeded = states.filter((state) => state.exceeded).sort((a, b) => b.resetSeconds - a.resetSeconds)[0] ?? null;
    const tightest = [...states].sort((a, b) => a.remaining / a.bucket.points - b.remaining / b.bucket.points)[0]!;
    for (const state of states) if (state.exceeded) this.metrics.rateLimited.inc({ scope: state.bucket.scope });
    return { tightest: exceeded ?? tightest, exceeded };
  }

  private async consume(bucket: Bucket, cost: number): Promise<BucketState> {
    const limiterKey = `${bucket.scope}:${bucket.points}:${bucket.windowSeconds}`;
    let result: RateLimiterRes;
    try {
      result = await this.limiter(this.shared, limiterKey, bucket, true).consume(bucket.key, cost);
      this.recovered();
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        this.recovered();
        result = error;
      } else {
        this.degrade(error as Error);
        try {
          result = await this.limiter(this.local, limiterKey, bucket, false).consume(bucket.key, cost);
        } catch (local) {
          result = local as RateLimiterRes;
        }
      }
    }
    return {
      bucket,
      remaining: result.remainingPoints,
      resetSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)),
      exceeded: result.consumedPoints > bucket.points,
    };
  }

  private limiter(cache: Map<string, RateLimiterAbstract>, limiterKey: string, bucket: Bucket, shared: boolean): RateLimiterAbstract {
    let limiter = cache.get(limiterKey);
    if (!limiter) {
      const options = { keyPrefix: `${this.prefix}ratelimit:${bucket.scope}`, points: bucket.points, duration: bucket.windowSeconds };
      limiter = shared
        ? new RateLimiterRedis({ ...options, storeClient: this.redis, rejectIfRedisNotReady: true })
        : new RateLimiterMemory(options);
      cache.set(limiterKey, limiter);
    }
    return limiter;
  }

  private degrade(error: Error): void {
    this.metrics.rateLimiterFallbacks.inc();
    if (this.degraded) return;
    this.degraded = true;
    this.metrics.rateLimiterDegraded.set(1);
    this.logger.warn({ err: error }, 'rate limits: Redis is unreachable, counting in this process only until it is back');
  }

  private recovered(): void {
    if (!this.degraded) return;
    this.degraded = false;
    this.metrics.rateLimiterDegraded.set(0);
    this.logger.info('rate limits: Redis is back, counting across gateways again');
  }
}
