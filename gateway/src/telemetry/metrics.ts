import { Counter, Gauge, Registry } from 'prom-client';

/** Why the gateway refused a request before any subgraph saw it. */
export type RejectionReason =
  | 'body-size'
  | 'batch'
  | 'csrf'
  | 'get-mutation'
  | 'tokens'
  | 'depth'
  | 'aliases'
  | 'directives'
  | 'cost';

/**
 * The gateway's Prometheus metrics, one registry per gateway (several run in one test
 * process), served at /metrics.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly rejections = new Counter({
    name: 'academy_gateway_rejected_operations_total',
    help: 'Requests refused by the operation limits, by reason',
    labelNames: ['reason', 'transport'] as const,
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: 'academy_gateway_rate_limited_total',
    help: 'Operations refused with RATE_LIMITED, by the budget that ran out (tenant, user, anonymous, login-address, login-account, signup-address)',
    labelNames: ['scope'] as const,
    registers: [this.registry],
  });
  readonly rateLimiterDegraded = new Gauge({
    name: 'academy_gateway_rate_limiter_degraded',
    help: '1 while Redis is unreachable and rate limits are counted in this process only',
    registers: [this.registry],
  });
  readonly rateLimiterFallbacks = new Counter({
    name: 'academy_gateway_rate_limiter_fallbacks_total',
    help: 'Budget charges made in memory because Redis could not answer',
    registers: [this.registry],
  });

  reject(reason: RejectionReason, transport: 'http' | 'ws' = 'http'): void {
    this.rejections.inc({ reason, transport });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
