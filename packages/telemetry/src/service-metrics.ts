import type { ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Seconds: from a cached answer (~1 ms) to the alert threshold (p95 > 2 s) and beyond. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10];

/**
 * One service's Prometheus registry, served at its /metrics: the process (CPU, memory, event
 * loop lag, handles) and its GraphQL operations: rate, errors by code and latency. Every series
 * carries `service`, so one dashboard and one set of alert rules cover every service.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly operations: Counter<'type'>;
  readonly errors: Counter<'code'>;
  readonly duration: Histogram<'type'>;
  readonly httpRequests: Counter<'route' | 'status'>;
  readonly httpDuration: Histogram<'route'>;
  readonly databaseStatements: Counter<'kind'>;

  constructor(readonly service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.operations = new Counter({
      name: 'academy_graphql_operations_total',
      help: 'GraphQL operations answered, by type (query, mutation, subscription, or unknown when the document did not parse or validate)',
      labelNames: ['type'],
      registers: [this.registry],
    });
    this.errors = new Counter({
      name: 'academy_graphql_errors_total',
      help: 'Errors in GraphQL answers, by contract code',
      labelNames: ['code'],
      registers: [this.registry],
    });
    this.duration = new Histogram({
      name: 'academy_graphql_operation_duration_seconds',
      help: 'Time from receiving an operation to having its answer',
      labelNames: ['type'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    this.httpRequests = new Counter({
      name: 'academy_http_requests_total',
      help: 'HTTP requests, by route (graphql, health, metrics, ...) and status',
      labelNames: ['route', 'status'],
      registers: [this.registry],
    });
    this.httpDuration = new Histogram({
      name: 'academy_http_request_duration_seconds',
      help: 'Time from a request to the end of its response',
      labelNames: ['route'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    this.databaseStatements = new Counter({
      name: 'academy_database_statements_total',
      help: 'SQL statements sent to PostgreSQL, by kind (select, insert, update, delete, transaction for BEGIN/COMMIT/ROLLBACK/set_config, other)',
      labelNames: ['kind'],
      registers: [this.registry],
    });
  }

  /** Counts one SQL statement sent to PostgreSQL. */
  /** A counter of the service's own (one per name: asking again returns the same one). */
  counter<Label extends string>(name: string, help: string, labelNames: readonly Label[]): Counter<Label> {
    const existing = this.registry.getSingleMetric(name);
    if (existing) return existing as Counter<Label>;
    return new Counter({ name, help, labelNames: [...labelNames], registers: [this.registry] });
  }

  countStatement(sql: string): void {
    this.databaseStatements.inc({ kind: statementKind(sql) });
  }

  /** Counts an HTTP request when its response is finished (or the client went away). */
  observeHttp(route: string, res: ServerResponse): void {
    const stop = this.httpDuration.startTimer({ route });
    res.once('close', () => {
      stop();
      this.httpRequests.inc({ route, status: res.writableFinished ? String(res.statusCode) : 'aborted' });
    });
  }

  /** Answers GET /metrics (Prometheus text exposition): this registry, or `source`'s text (a cluster's aggregate). */
  async respond(res: ServerResponse, source?: () => Promise<string>): Promise<void> {
    const body = source ? await source() : await this.registry.metrics();
    res.writeHead(200, { 'content-type': this.registry.contentType });
    res.end(body);
  }
}

/** What kind of statement a SQL text is (its first keyword; the tenant `set_config` belongs to the transaction). */
export function statementKind(sql: string): 'select' | 'insert' | 'update' | 'delete' | 'transaction' | 'other' {
  const head = /^\s*(\w+)/.exec(sql)?.[1]?.toLowerCase();
  if (
    head === 'begin' ||
    head === 'commit' ||
    head === 'rollback' ||
    head === 'savepoint' ||
    head === 'release' ||
    /^\s*select set_config\(/i.test(sql)
  )
    return 'transaction';
  // A statement with data-modifying common table expressions counts as its first write.
  if (head === 'with')
    return (
      (/\b(insert)\s+into\b|\b(update)\s+(?:only\s+)?\S+\s+(?:(?:as\s+)?\w+\s+)?set\b|\b(delete)\s+from\b/i
        .exec(sql)
        ?.slice(1)
        .find(Boolean)
        ?.toLowerCase() as 'insert' | 'update' | 'delete' | undefined) ?? 'select'
    );
  if (head === 'select') return 'select';
  if (head === 'insert' || head === 'update' || head === 'delete') return head;
  return 'other';
}
