import pg from 'pg';
import { routingProblems, type EventDefinition, type EventRoutes, type OutboxRecord } from '@academy/events';
import type { Logger } from '@academy/platform';
import { contextOfTraceparent, inSpan, SpanKind } from '@academy/telemetry';

export interface OutboxRelayOptions<Events extends readonly EventDefinition[]> {
  /** The services' connection (the claim and mark functions cross tenants narrowly). */
  pool: pg.Pool;
  /** A connection string for LISTEN (a dedicated session). */
  listenUrl: string;
  /** The events it relays, and a route for each of them (no more, no less: checked when built). */
  events: Events;
  routes: EventRoutes<Events>;
  logger: Logger;
  batchSize?: number;
  /** Polling interval when no notification arrives. */
  pollMs?: number;
}

/** An outbox_events row as the database gives it (what the relay claims, what a worker reads again). */
export interface OutboxRow {
  id: string;
  tenant_id: string;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: unknown;
  created_at: Date | string;
  traceparent: string | null;
}

/** The row as its event, its payload read by its definition (throws what the definition throws). */
export function outboxRecordOf(row: OutboxRow, definition: EventDefinition): OutboxRecord {
  return {
    id: String(row.id),
    tenantId: row.tenant_id,
    type: row.type,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    payload: definition.parse(row.payload),
    createdAt: new Date(row.created_at),
    traceparent: row.traceparent,
  };
}

/**
 * Moves outbox events to where they go (queues, pub/sub), at least once and in order per
 * relay. Events are claimed in a transaction (FOR UPDATE SKIP LOCKED, so several relays share
 * the work), routed, then marked published in that same transaction: if routing fails or the
 * process dies, the events stay unpublished and go again. Wakes on NOTIFY, polls otherwise.
 */
export class OutboxRelay<Events extends readonly EventDefinition[] = readonly EventDefinition[]> {
  private readonly definitions: Map<string, EventDefinition>;
  private readonly routes: Record<string, (event: OutboxRecord) => Promise<unknown>>;
  private listener: pg.Client | null = null;
  private running = false;
  private wake: (() => void) | null = null;
  /** A NOTIFY arrived while a batch was running: go again at once instead of waiting to poll. */
  private notified = false;
  private loop: Promise<void> | null = null;
  private reconnect: NodeJS.Timeout | null = null;
  private failures = 0;
  published = 0;

  constructor(private readonly options: OutboxRelayOptions<Events>) {
    const problems = routingProblems(options.events, options.routes);
    if (problems.length > 0) throw new Error(`The outbox routes do not match the domain events: ${problems.join('; ')}`);
    this.definitions = new Map(options.events.map((definition) => [definition.type, definition]));
    this.routes = options.routes as unknown as Record<string, (event: OutboxRecord) => Promise<unknown>>;
  }

  async start(): Promise<void> {
    this.running = true;
    await this.listen();
    this.loop = this.run();
  }

  /** Lets a batch in progress finish (published and marked), then returns; never waits for a poll. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    if (this.reconnect) clearTimeout(this.reconnect);
    await this.loop;
    await this.listener?.end().catch(() => undefined);
    this.listener = null;
  }

  /** Publishes everything unpublished now; returns how many events went out. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const count = await this.batch();
      total += count;
      if (count < (this.options.batchSize ?? 100)) return total;
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.notified = false;
      try {
        await this.drain();
        this.failures = 0;
      } catch (error) {
        this.failures += 1;
        this.options.logger.warn({ err: (error as Error).message, failures: this.failures }, 'outbox relay could not publish; retrying');
      }
      // stop() during the batch found no wait to wake: it must not start one.
      if (!this.running) return;
      if (this.notified && this.failures === 0) continue;
      await this.sleep(this.failures > 0 ? Math.min(10_000, 250 * 2 ** this.failures) : (this.options.pollMs ?? 1000));
    }
  }

  /** Waits `ms` or until woken (a NOTIFY, stop()); `wake` is set in the same tick as the caller's last check. */
  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private async batch(): Promise<number> {
    const client = await this.options.pool.connect();
    // A client checked out of the pool is ours to watch: the server may end its session between two
    // statements (a restart), which pg reports as an 'error' event that, unheard, ends the process.
    let lost: Error | undefined;
    const onLost = (error: Error) => (lost = error);
    client.on('error', onLost);
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<OutboxRow>('SELECT * FROM app_outbox_claim($1)', [this.options.batchSize ?? 100]);
      for (const row of rows) {
        const event = this.read(row);
        if (!event) continue;
        const route = this.routes[row.type]!;
        await inSpan(
          `outbox ${row.type}`,
          { kind: SpanKind.PRODUCER, parent: contextOfTraceparent(row.traceparent), attributes: { 'academy.outbox.id': event.id } },
          () => route(event),
        );
      }
      if (rows.length > 0) await client.query('SELECT app_outbox_mark_published($1::bigint[])', [rows.map((row) => row.id)]);
      await client.query('COMMIT');
      this.published += rows.length;
      return rows.length;
    } catch (error) {
      if (!lost) await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.off('error', onLost);
      // A lost connection is not given back to the pool.
      client.release(lost);
    }
  }

  /** The row as its event, or null (logged, and marked published with the batch) when no definition reads it. */
  private read(row: OutboxRow): OutboxRecord | null {
    const definition = this.definitions.get(row.type);
    const facts = { outboxId: String(row.id), type: row.type, tenantId: row.tenant_id };
    if (!definition) {
      this.options.logger.error(facts, 'outbox event of no defined type: skipped');
      return null;
    }
    try {
      return outboxRecordOf(row, definition);
    } catch (error) {
      this.options.logger.error(
        { ...facts, err: (error as Error).message },
        'outbox event whose payload its definition cannot read: skipped',
      );
      return null;
    }
  }

  private async listen(): Promise<void> {
    const listener = new pg.Client({ connectionString: this.options.listenUrl, application_name: 'academy-outbox-listener' });
    listener.on('notification', () => {
      this.notified = true;
      this.wake?.();
    });
    listener.on('error', (error) => {
      this.options.logger.warn({ err: error.message }, 'outbox listener lost its connection; polling until it is back');
      this.listener = null;
      this.listenAgain();
    });
    try {
      await listener.connect();
      await listener.query('LISTEN outbox_events');
      // Stopped while connecting: nobody would end this session.
      if (!this.running) {
        await listener.end().catch(() => undefined);
        return;
      }
      this.listener = listener;
    } catch (error) {
      this.options.logger.warn({ err: (error as Error).message }, 'outbox listener unavailable; polling');
      await listener.end().catch(() => undefined);
      // The database may be restarting: try again, as after a lost connection, until it listens.
      this.listenAgain();
    }
  }

  /** Listens again in a second (once: a connection that fails while its LISTEN runs reports it twice). */
  private listenAgain(): void {
    if (this.reconnect) clearTimeout(this.reconnect);
    if (this.running) this.reconnect = setTimeout(() => void (this.running && this.listen().catch(() => undefined)), 1000);
  }
}
