import CircuitBreaker from 'opossum';
import { Agent, request } from 'undici';
import { FORWARDED_HEADERS, type Logger } from '@academy/platform';
import type { GatewayMetrics } from '../telemetry/metrics';

/** How the gateway talks to each subgraph. */
export const SUBGRAPH_FETCH = {
  /** A subgraph request (answer included) that takes longer fails: UPSTREAM_UNAVAILABLE for its fields. */
  timeoutMs: 5_000,
  /** Idle keep-alive connections are kept this long (the subgraphs keep theirs 65 s). */
  keepAliveMs: 30_000,
  /** Connections per subgraph (each carries one request at a time). */
  connections: 128,
  /** The breaker opens when half the requests of the last 10 s failed, once there were 10. */
  errorThresholdPercentage: 50,
  volumeThreshold: 10,
  rollingWindowMs: 10_000,
  /** An open breaker lets one request through after this, and closes if it succeeds. */
  resetTimeoutMs: 5_000,
  /** 1: identical queries in flight share one request (0 turns it off). */
  deduplicate: 1,
} as const;

export type SubgraphFetchTuning = { -readonly [K in keyof typeof SUBGRAPH_FETCH]?: number };

/** A request to a subgraph: its body is the GraphQL request as JSON. */
export interface SubgraphRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A subgraph's answer, read whole and decoded once (UTF-8, a byte order mark dropped, as
 * `Response.text()` does): several callers may share it, each parses its own copy of the data.
 */
export interface SubgraphAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A subgraph answered with a server error, or not at all. */
export class SubgraphUnavailable extends Error {}

const TENANT_HEADER = FORWARDED_HEADERS.tenant;
const VIEWER_HEADER = FORWARDED_HEADERS.viewer;

const CIRCUIT_STATES = { closed: 0, halfOpen: 1, open: 2 } as const;

/**
 * The gateway's HTTP client for one subgraph: a pool of keep-alive connections, a deadline per
 * request, and a circuit breaker (opossum) that stops sending to a subgraph that keeps failing
 * so its fields fail at once instead of after the deadline.
 */
export class SubgraphFetcher {
  private readonly agent: Agent;
  private readonly breaker: CircuitBreaker<[url: string, init: SubgraphRequest], SubgraphAnswer>;
  private readonly tuning: Required<SubgraphFetchTuning>;

  constructor(
    readonly subgraph: string,
    tuning: SubgraphFetchTuning,
    private readonly metrics: GatewayMetrics,
    logger: Logger,
  ) {
    this.tuning = { ...SUBGRAPH_FETCH, ...tuning };
    this.agent = new Agent({ keepAliveTimeout: this.tuning.keepAliveMs, connections: this.tuning.connections });
    this.breaker = new CircuitBreaker((url: string, init: SubgraphRequest) => this.send(url, init), {
      timeout: false,
      errorThresholdPercentage: this.tuning.errorThresholdPercentage,
      volumeThreshold: this.tuning.volumeThreshold,
      rollingCountTimeout: this.tuning.rollingWindowMs,
      resetTimeout: this.tuning.resetTimeoutMs,
    });
    const state = (name: keyof typeof CIRCUIT_STATES) => () => {
      metrics.subgraphCircuit.set({ subgraph }, CIRCUIT_STATES[name]);
      const log = name === 'closed' ? logger.info.bind(logger) : logger.warn.bind(logger);
      log({ subgraph, circuit: name }, `subgraph ${subgraph}: circuit ${name === 'halfOpen' ? 'half-open' : name}`);
    };
    this.breaker.on('open', state('open'));
    this.breaker.on('halfOpen', state('halfOpen'));
    this.breaker.on('close', state('closed'));
    metrics.subgraphCircuit.set({ subgraph }, CIRCUIT_STATES.closed);
  }

  /**
   * Sends a request (SignedDataSource's). Identical queries in flight at the same time (same
   * subgraph, document, variables, tenant and viewer) share one request: concurrent clients
   * asking the same thing cost the subgraph once. Mutations always go on their own.
   */
  fetch(url: string, init: SubgraphRequest): Promise<SubgraphAnswer> {
    const key = this.dedupeKey(url, init);
    if (key === null) return this.fire(url, init);
    let shared = this.inFlight.get(key);
    if (shared) {
      this.metrics.subgraphFetches.inc({ subgraph: this.subgraph, outcome: 'deduplicated' });
    } else {
      shared = this.fire(url, init).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, shared);
    }
    return shared;
  }

  private readonly inFlight = new Map<string, Promise<SubgraphAnswer>>();

  private dedupeKey(url: string, init: SubgraphRequest): string | null {
    const body = init.body ?? '';
    if (!this.tuning.deduplicate || /^\{"query":"\s*mutation\b/.test(body)) return null;
    const headers = init.headers ?? {};
    return `${url}\n${headers[TENANT_HEADER] ?? ''}\n${headers[VIEWER_HEADER] ?? ''}\n${body}`;
  }

  private fire(url: string, init: SubgraphRequest): Promise<SubgraphAnswer> {
    if (this.breaker.opened) this.metrics.subgraphFetches.inc({ subgraph: this.subgraph, outcome: 'circuit-open' });
    return this.breaker.fire(url, init);
  }

  private async send(url: string, init: SubgraphRequest): Promise<SubgraphAnswer> {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    // A deadline cleared when the answer is in (AbortSignal.timeout's timer would still fire, and
    // build its TimeoutError, for every fetch: 1 % of the gateway's CPU with 10,000 subscribers).
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new DOMException('The subgraph did not answer in time', 'TimeoutError')),
      this.tuning.timeoutMs,
    );
    try {
      // undici's request API (a third of fetch's cost); the answer is read here, under the deadline.
      const response = await request(url, {
        method: (init.method ?? 'POST') as 'POST',
        headers: init.headers ?? {},
        body: init.body ?? null,
        dispatcher: this.agent,
        signal: deadline.signal,
      });
      const text = await response.body.text();
      if (response.statusCode >= 500) throw new SubgraphUnavailable(`subgraph ${this.subgraph} answered ${response.statusCode}`);
      this.observe('ok', seconds());
      return { status: response.statusCode, headers: response.headers, text };
    } catch (error) {
      const timedOut = deadline.signal.aborted;
      this.observe(timedOut ? 'timeout' : 'error', seconds());
      throw error instanceof SubgraphUnavailable
        ? error
        : new SubgraphUnavailable(
            timedOut
              ? `subgraph ${this.subgraph} did not answer in ${this.tuning.timeoutMs} ms`
              : `subgraph ${this.subgraph}: ${(error as Error).message}`,
          );
    } finally {
      clearTimeout(timer);
    }
  }

  private observe(outcome: 'ok' | 'error' | 'timeout', seconds: number): void {
    this.metrics.subgraphFetches.inc({ subgraph: this.subgraph, outcome });
    this.metrics.subgraphFetchDuration.observe({ subgraph: this.subgraph, outcome }, seconds);
  }

  async close(): Promise<void> {
    this.breaker.shutdown();
    await this.agent.close();
  }
}
