import type { z } from 'zod';
import type { Prisma, Statement, Tx } from '@academy/platform';

/** A domain event as the outbox stores it and the relay hands it to a route. */
export interface OutboxRecord<Payload = unknown> {
  id: string;
  tenantId: string;
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: Payload;
  createdAt: Date;
  /** The trace of the transaction that wrote it (routes run in it, so jobs they add continue it). */
  traceparent: string | null;
}

export interface EventDefinition<Type extends string = string, Payload = unknown> {
  readonly type: Type;
  /** The kind of thing the event is about (its id is the outbox row's aggregate id). */
  readonly aggregateType: string;
  readonly schema: z.ZodType<Payload>;
  /** Reads a stored payload; throws when it does not have the event's shape. */
  parse(payload: unknown): Payload;
  /** Writes the event to the outbox in the transaction that made the change. */
  write(tx: Tx, event: { tenantId: string; aggregateId: string; payload: Payload }): Promise<void>;
  /** The same, as a statement of a unit of work sent through node-postgres (`TenantScope.unit`). */
  insert(statement: Statement, event: { tenantId: string; aggregateId: string; payload: Payload }): Promise<void>;
}

export type PayloadOf<Definition> = Definition extends EventDefinition<string, infer Payload> ? Payload : never;

/**
 * Defines a domain event once: its type string, what it is about and its payload's shape.
 * Producers write it with `write`, the relay parses it with `parse` before routing.
 */
export function defineEvent<Type extends string, Payload>(
  type: Type,
  options: { aggregateType: string; payload: z.ZodType<Payload> },
): EventDefinition<Type, Payload> {
  return {
    type,
    aggregateType: options.aggregateType,
    schema: options.payload,
    parse: (payload) => options.payload.parse(payload),
    async write(tx, event) {
      await tx.outboxEvent.create({
        data: {
          tenantId: event.tenantId,
          type,
          aggregateType: options.aggregateType,
          aggregateId: event.aggregateId,
          payload: options.payload.parse(event.payload) as Prisma.InputJsonObject,
        },
      });
    },
    async insert(statement, event) {
      // The trace comes from the unit's app.traceparent setting (the column's default), as with `write`.
      await statement(
        'INSERT INTO outbox_events (tenant_id, type, aggregate_type, aggregate_id, payload) VALUES ($1::uuid, $2, $3, $4, $5::jsonb)',
        [event.tenantId, type, options.aggregateType, event.aggregateId, JSON.stringify(options.payload.parse(event.payload))],
      );
    },
  };
}

/** What to do with each event of a catalogue: one route per event type, no more, no less. */
export type EventRoutes<Events extends readonly EventDefinition[]> = {
  [Definition in Events[number] as Definition['type']]: (event: OutboxRecord<PayloadOf<Definition>>) => Promise<unknown>;
};

/** The routes' problems against the catalogue: events nobody routes, routes for no event (empty when they match). */
export function routingProblems(events: readonly EventDefinition[], routes: Record<string, unknown>): string[] {
  const defined = new Set(events.map((event) => event.type));
  return [
    ...[...defined].filter((type) => typeof routes[type] !== 'function').map((type) => `no route for the event ${type}`),
    ...Object.keys(routes)
      .filter((type) => !defined.has(type))
      .map((type) => `a route for ${type}, which is no defined event`),
  ];
}
