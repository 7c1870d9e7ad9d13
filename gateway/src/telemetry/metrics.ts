import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

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
  | 'cost'
  | 'unlisted-document'
  | 'operation-name'
  | 'subscription-over-http';

/**
 * The gateway's own Prometheus metrics, beside every service's (ServiceMetrics) in the
 * gateway's registry (one per gateway: several run in one test process), served at /metrics.
 */
export class GatewayMetrics {
  readonly rejections: Counter<string>;
  readonly rateLimited: Counter<string>;
  readonly rateLimiterDegraded: Gauge;
  readonly rateLimiterFallbacks: Counter;
  readonly subgraphFetches: Counter<string>;
  readonly subgraphFetchDuration: Histogram<string>;
  readonly subgraphCircuit: Gauge<string>;
  readonly responseCache: Counter<string>;
  readonly ownDuration: Histogram;

  constructor(readonly registry: Registry) {
    this.rejections = new Counter({
      name: 'academy_gateway_rejected_operations_total',
      help: 'Requests refused by the operation limits, by reason',
      labelNames: ['reason', 'transport'] as const,
      registers: [this.registry],
    });
    this.rateLimited = new Counter({
      name: 'academy_gateway_rate_limited_total',
      help: 'Operations refused with RATE_LIMITED, by the budget that ran out (tenant, user, anonymous, login-address, login-account, signup-address)',
      labelNames: ['scope'] as const,
      registers: [this.registry],
    });
    this.rateLimiterDegraded = new Gauge({
      name: 'academy_gateway_rate_limiter_degraded',
      help: '1 while Redis is unreachable and rate limits are counted in this process only',
      registers: [this.registry],
    });
    this.rateLimiterFallbacks = new Counter({
      name: 'academy_gateway_rate_limiter_fallbacks_total',
      help: 'Budget charges made in memory because Redis could not answer',
      registers: [this.registry],
    });
    this.subgraphFetches = new Counter({
      name: 'academy_gateway_subgraph_fetches_total',
      help: 'Requests from the gateway to a subgraph, by outcome (ok, error, timeout, circuit-open)',
      labelNames: ['subgraph', 'outcome'] as const,
      registers: [this.registry],
    });
    this.subgraphFetchDuration = new Histogram({
      name: 'academy_gateway_subgraph_fetch_duration_seconds',
      help: 'Time from sending a subgraph request to having its whole answer',
      labelNames: ['subgraph', 'outcome'] as const,
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.responseCache = new Counter({
      name: 'academy_gateway_response_cache_total',
      help: 'Anonymous queries answered from the shared response cache (hit) or not (miss)',
      labelNames: ['result'] as const,
      registers: [this.registry],
    });
    this.subgraphCircuit = new Gauge({
      name: 'academy_gateway_subgraph_circuit_state',
      help: "State of a subgraph's circuit breaker: 0 closed, 1 half-open, 2 open",
      labelNames: ['subgraph'] as const,
      registers: [this.registry],
    });
    this.ownDuration = new Histogram({
      name: 'academy_gateway_own_duration_seconds',
      help: "Time of an operation not spent waiting on subgraphs (limits, planning, merging, serializing): the gateway's share",
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [this.registry],
    });
    // 1 per gateway process; a cluster's /metrics sums its workers', so it says how many answered the scrape.
    new Gauge({
      name: 'academy_gateway_processes',
      help: 'Gateway processes whose series this scrape sums (GATEWAY_WORKERS; 1 without)',
      registers: [this.registry],
    }).set(1);
  }

  /** Live subscription figures, read when scraped. */
  observeSubscriptions(read: { sockets(): number; subscriptions(): number }): void {
    new Gauge({
      name: 'academy_gateway_websocket_connections',
      help: 'Open graphql-ws sockets on this gateway',
      registers: [this.registry],
      collect() {
        this.set(read.sockets());
      },
    });
    new Gauge({
      name: 'academy_gateway_active_subscriptions',
      help: 'Subscriptions listening for certification status changes on this gateway',
      registers: [this.registry],
      collect() {
        this.set(read.subscriptions());
      },
    });
  }

  reject(reason: RejectionReason, transport: 'http' | 'ws' = 'http'): void {
    this.rejections.inc({ reason, transport });
  }
}
