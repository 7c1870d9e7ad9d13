import pg from 'pg';
import {
  BASE_POINTS,
  DIMENSIONS,
  EVENT_CAP_POINTS,
  PACE_POINTS,
  QUANTITIES,
  VERIFICATION_MULTIPLIERS,
  type Dimension,
  type EventType,
  type Granularity,
  type Verification,
} from '@academy/impact-scoring';

/**
 * The documented impact formulas (docs/impact-scoring.md), written again from the document for
 * tests: straight from raw events, with none of the services' code (no aggregates, no buckets
 * table, no scoring function). Only the model's published constants are shared.
 */

export interface OracleEvent {
  userId: string;
  communityId: string | null;
  type: EventType;
  verification: Verification;
  quantities: Record<string, unknown>;
  occurredAt: Date;
}

export interface ExpectedScore {
  dimension: Dimension;
  score: number;
}

export interface ExpectedTrendPoint {
  periodStart: string;
  overall: number;
  eventCount: number;
  scores: ExpectedScore[];
  participantCount: number;
}

export interface ExpectedReport {
  scope: string;
  period: Granularity;
  from: string | null;
  overall: number;
  scores: ExpectedScore[];
  eventCount: number;
  participantCount: number;
  trend: ExpectedTrendPoint[];
}

const computed = new WeakMap<object, Record<Dimension, number>>();

/** Points of one event per dimension, in millipoints. */
export function oraclePoints(event: Pick<OracleEvent, 'type' | 'verification' | 'quantities'>): Record<Dimension, number> {
  const known = computed.get(event);
  if (known) return known;
  const points = {} as Record<Dimension, number>;
  for (const dimension of DIMENSIONS) {
    let raw = BASE_POINTS[event.type][dimension];
    for (const [name, spec] of Object.entries(QUANTITIES)) {
      const amount = event.quantities[name];
      if (typeof amount === 'number' && Number.isFinite(amount) && amount > 0 && spec.weights[dimension] > 0)
        raw += spec.weights[dimension] * Math.log2(1 + amount / spec.step);
    }
    points[dimension] = Math.round(Math.min(EVENT_CAP_POINTS, raw * VERIFICATION_MULTIPLIERS[event.verification]) * 1000);
  }
  computed.set(event, points);
  return points;
}

/** The first instant of the UTC calendar period holding `at`. */
export function oraclePeriodStart(granularity: Granularity, at: Date): Date {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  if (granularity === 'ALL_TIME') return new Date(0);
  if (granularity === 'YEAR') return new Date(Date.UTC(y, 0, 1));
  if (granularity === 'QUARTER') return new Date(Date.UTC(y, Math.floor(m / 3) * 3, 1));
  if (granularity === 'MONTH') return new Date(Date.UTC(y, m, 1));
  const day = new Date(Date.UTC(y, m, at.getUTCDate()));
  if (granularity === 'DAY') return day;
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - sinceMonday * 86_400_000);
}

function oracleNext(granularity: Granularity, start: Date): Date {
  const y = start.getUTCFullYear();
  const m = start.getUTCMonth();
  if (granularity === 'DAY') return new Date(start.getTime() + 86_400_000);
  if (granularity === 'WEEK') return new Date(start.getTime() + 7 * 86_400_000);
  if (granularity === 'MONTH') return new Date(Date.UTC(y, m + 1, 1));
  if (granularity === 'QUARTER') return new Date(Date.UTC(y, m + 3, 1));
  if (granularity === 'YEAR') return new Date(Date.UTC(y + 1, 0, 1));
  return new Date(8.64e15);
}

const SUB_PERIOD: Record<Granularity, Granularity> = {
  DAY: 'DAY',
  WEEK: 'DAY',
  MONTH: 'DAY',
  QUARTER: 'MONTH',
  YEAR: 'MONTH',
  ALL_TIME: 'YEAR',
};

function scored(events: OracleEvent[], granularity: Granularity, participantsOf: (events: OracleEvent[]) => number) {
  const participants = participantsOf(events);
  const exact = DIMENSIONS.map((dimension) => {
    const points = events.reduce((sum, event) => sum + oraclePoints(event)[dimension], 0) / 1000;
    return participants === 0 || points <= 0 ? 0 : 100 * (1 - Math.exp(-(points / participants) / PACE_POINTS[granularity]));
  });
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    overall: round((exact[0]! + exact[1]! + exact[2]! + exact[3]! + exact[4]!) / 5),
    scores: DIMENSIONS.map((dimension, index) => ({ dimension, score: round(exact[index]!) })),
    eventCount: events.length,
    participantCount: participants,
  };
}

/**
 * The report of `events` (already those of the scope: a person's, a community's, a tenant's or
 * everyone's) for the period holding `now`.
 */
export function oracleReport(scope: string, period: Granularity, now: Date, events: OracleEvent[]): ExpectedReport {
  const people = (some: OracleEvent[]) => new Set(some.map((event) => event.userId)).size;
  const start = oraclePeriodStart(period, now);
  const within = (from: Date, to: Date) => events.filter((event) => event.occurredAt >= from && event.occurredAt < to);
  const sub = SUB_PERIOD[period];
  let first = start;
  if (period === 'ALL_TIME') {
    first = oraclePeriodStart('YEAR', now);
    for (const event of events) if (event.occurredAt < first) first = oraclePeriodStart('YEAR', event.occurredAt);
  }
  const trend: ExpectedTrendPoint[] = [];
  for (let point = first; point <= now; point = oracleNext(sub, point)) {
    trend.push({ periodStart: point.toISOString(), ...scored(within(point, oracleNext(sub, point)), sub, people) });
  }
  return {
    scope,
    period,
    from: period === 'ALL_TIME' ? null : start.toISOString(),
    ...scored(within(start, oracleNext(period, start)), period, people),
    trend,
  };
}

/** Raw events as stored (through the owner's connection, past RLS), for the oracle. */
export async function loadImpactEvents(ownerUrl: string, where: string, values: unknown[]): Promise<OracleEvent[]> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{
      user_id: string;
      community_id: string | null;
      type: EventType;
      verification: Verification;
      quantities: Record<string, unknown>;
      occurred_at: Date;
    }>(`SELECT user_id, community_id, type, verification, quantities, occurred_at FROM impact_events WHERE ${where}`, values);
    return rows.map((row) => ({
      userId: row.user_id,
      communityId: row.community_id,
      type: row.type,
      verification: row.verification,
      quantities: row.quantities,
      occurredAt: row.occurred_at,
    }));
  } finally {
    await client.end();
  }
}

/** Resolves once every change to impact events has been aggregated (no pending delta is left). */
export async function impactSettled(ownerUrl: string, timeoutMs = 30_000): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await client.query<{ pending: string }>('SELECT count(*) AS pending FROM impact_deltas');
      if (rows[0]!.pending === '0') return;
      if (Date.now() > deadline) throw new Error(`impact: ${rows[0]!.pending} changes still not aggregated after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await client.end();
  }
}

/** The derived tables' rows of some tenants (and GLOBAL), in key order: to compare two states exactly. */
export async function impactSnapshot(ownerUrl: string, tenantIds: string[]): Promise<{ userDays: unknown[]; aggregates: unknown[] }> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const userDays = await client.query(
      'SELECT * FROM impact_user_days WHERE tenant_id = ANY($1::uuid[]) ORDER BY tenant_id, user_id, day, community_id',
      [tenantIds],
    );
    const aggregates = await client.query(
      `SELECT * FROM impact_aggregates WHERE tenant_id = ANY($1::uuid[]) OR scope = 'GLOBAL' ORDER BY scope, subject_id, granularity, period_start`,
      [tenantIds],
    );
    return { userDays: userDays.rows, aggregates: aggregates.rows };
  } finally {
    await client.end();
  }
}
