import { DIMENSIONS, type DimensionMillipoints, type Granularity } from '@academy/impact-scoring';
import { isUuid, type Database, type PlatformAccess, type TenantScope, type Tx } from '@academy/platform';

/** What a report reads: the sums of one calendar bucket. */
export interface BucketTotals {
  start: Date;
  eventCount: number;
  participantCount: number;
  millipoints: DimensionMillipoints;
}

/** The buckets a report needs: its period's, and its trend's from `trendFrom` on. */
export interface BucketQuery {
  period: Granularity;
  periodStart: Date;
  trend: Granularity;
  trendFrom: Date;
}

export interface ScopeBuckets {
  total: BucketTotals | null;
  trend: BucketTotals[];
}

interface AggregateRow {
  subject_id: string;
  granularity: Granularity;
  /** YYYY-MM-DD (read as text: a DATE is a UTC calendar day here, whatever the session's time zone). */
  period_start: string;
  event_count: number;
  participant_count: number;
  /** int8: a bigint through Prisma Client, a string through node-postgres. */
  sustainability_millipoints: bigint | string;
  community_millipoints: bigint | string;
  regenerative_millipoints: bigint | string;
  social_justice_millipoints: bigint | string;
  circularity_millipoints: bigint | string;
}

const NIL = '00000000-0000-0000-0000-000000000000';

/**
 * Reads the aggregates (impact_aggregates, impact_user_days), never raw events. Tenant scope:
 * tenants' and communities' buckets and people's days, of this tenant only. The aggregates
 * follow the events a moment later anyway: they are read from the read replica when there is one.
 */
export class ImpactAggregateRepository {
  constructor(private readonly db: TenantScope) {}

  /** Buckets of the tenant itself or of its communities, by subject id. */
  scopeBuckets(scope: 'TENANT' | 'COMMUNITY', subjectIds: readonly string[], query: BucketQuery): Promise<Map<string, ScopeBuckets>> {
    return this.db.read((tx) => this.readScopeBuckets(tx, scope, subjectIds, query));
  }

  /** One community's or person's buckets, or null when this tenant has no such community or person (one transaction). */
  bucketsOf(kind: 'community' | 'person', id: string, query: BucketQuery): Promise<ScopeBuckets | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.db.read(async (tx) => {
      const known =
        kind === 'community'
          ? (await tx.community.count({ where: { tenantId: this.db.tenantId, id } })) > 0
          : (await tx.user.count({ where: { tenantId: this.db.tenantId, id } })) > 0;
      if (!known) return null;
      const buckets =
        kind === 'community' ? await this.readScopeBuckets(tx, 'COMMUNITY', [id], query) : await this.readPersonBuckets(tx, [id], query);
      return buckets.get(id)!;
    });
  }

  /** A person's days, summed per trend bucket: their report's period is the sum of its trend (participants: them). */
  personBuckets(userIds: readonly string[], query: BucketQuery): Promise<Map<string, ScopeBuckets>> {
    return this.readPersonBuckets(null, userIds, query);
  }

  private async readScopeBuckets(
    tx: Tx,
    scope: 'TENANT' | 'COMMUNITY',
    subjectIds: readonly string[],
    query: BucketQuery,
  ): Promise<Map<string, ScopeBuckets>> {
    const rows = await tx.$queryRaw<AggregateRow[]>`
      SELECT "subject_id", "granularity", "period_start"::text AS "period_start", "event_count", "participant_count", "sustainability_millipoints",
        "community_millipoints", "regenerative_millipoints", "social_justice_millipoints", "circularity_millipoints"
      FROM "impact_aggregates"
      WHERE "scope" = ${scope}::"ImpactScope" AND "subject_id" = ANY(${[...subjectIds]}::uuid[]) AND "tenant_id" = ${this.db.tenantId}::uuid
        AND (("granularity" = ${query.period}::"AggregateGranularity" AND "period_start" = ${day(query.periodStart)}::date)
          OR ("granularity" = ${query.trend}::"AggregateGranularity" AND "period_start" >= ${day(query.trendFrom)}::date))`;
    return bySubject(subjectIds, rows, query);
  }

  private async readPersonBuckets(tx: Tx | null, userIds: readonly string[], query: BucketQuery): Promise<Map<string, ScopeBuckets>> {
    const text = `
      SELECT "user_id" AS "subject_id", $1::text AS "granularity", app_impact_bucket($1::"AggregateGranularity", "day")::text AS "period_start",
        sum("event_count")::integer AS "event_count", 1 AS "participant_count",
        sum("sustainability_millipoints")::bigint AS "sustainability_millipoints", sum("community_millipoints")::bigint AS "community_millipoints",
        sum("regenerative_millipoints")::bigint AS "regenerative_millipoints", sum("social_justice_millipoints")::bigint AS "social_justice_millipoints",
        sum("circularity_millipoints")::bigint AS "circularity_millipoints"
      FROM "impact_user_days"
      WHERE "tenant_id" = $2::uuid AND "user_id" = ANY($3::uuid[]) AND "day" >= $4::date
      GROUP BY 1, 2, 3`;
    const values = [
      query.trend,
      this.db.tenantId,
      [...userIds],
      day(query.periodStart < query.trendFrom ? query.periodStart : query.trendFrom),
    ];
    // Alone (a dashboard's `me { impact }`), one statement without a Prisma Client transaction;
    // inside `bucketsOf`'s, in it. (int8 sums come back as text through node-postgres: totalsOf reads either.)
    const rows = tx ? await tx.$queryRawUnsafe<AggregateRow[]>(text, ...values) : await this.db.readSql<AggregateRow>(text, values);
    const result = new Map<string, ScopeBuckets>();
    for (const id of userIds) {
      const trend = rows.filter((row) => row.subject_id === id).map(totalsOf);
      const inPeriod = trend.filter((bucket) => bucket.start >= query.periodStart);
      result.set(id, { total: inPeriod.length === 0 ? null : sumOf(inPeriod, 1), trend });
    }
    return result;
  }
}

/** The GLOBAL scope, across tenants: only through the platform's audited bypass. */
export class GlobalImpactRepository {
  constructor(private readonly database: Database) {}

  globalBuckets(access: PlatformAccess, query: BucketQuery): Promise<ScopeBuckets> {
    return this.database.asPlatform(access, async (tx: Tx) => {
      const rows = await tx.$queryRaw<AggregateRow[]>`
        SELECT "subject_id", "granularity", "period_start"::text AS "period_start", "event_count", "participant_count", "sustainability_millipoints",
          "community_millipoints", "regenerative_millipoints", "social_justice_millipoints", "circularity_millipoints"
        FROM "impact_aggregates"
        WHERE "scope" = 'GLOBAL' AND "subject_id" = ${NIL}::uuid AND "tenant_id" IS NULL
          AND (("granularity" = ${query.period}::"AggregateGranularity" AND "period_start" = ${day(query.periodStart)}::date)
            OR ("granularity" = ${query.trend}::"AggregateGranularity" AND "period_start" >= ${day(query.trendFrom)}::date))`;
      return bySubject([NIL], rows, query).get(NIL)!;
    });
  }
}

function bySubject(subjectIds: readonly string[], rows: AggregateRow[], query: BucketQuery): Map<string, ScopeBuckets> {
  const result = new Map<string, ScopeBuckets>(subjectIds.map((id) => [id, { total: null, trend: [] }]));
  for (const row of rows) {
    const entry = result.get(row.subject_id);
    if (!entry) continue;
    const totals = totalsOf(row);
    // A bucket can be both the period's and a trend point's (a DAY report's trend is the day).
    if (row.granularity === query.period && totals.start.getTime() === query.periodStart.getTime()) entry.total = totals;
    if (row.granularity === query.trend && totals.start >= query.trendFrom) entry.trend.push(totals);
  }
  return result;
}

function totalsOf(row: AggregateRow): BucketTotals {
  return {
    start: new Date(`${row.period_start}T00:00:00.000Z`),
    eventCount: Number(row.event_count),
    participantCount: Number(row.participant_count),
    millipoints: {
      SUSTAINABILITY: Number(row.sustainability_millipoints),
      COMMUNITY: Number(row.community_millipoints),
      REGENERATIVE: Number(row.regenerative_millipoints),
      SOCIAL_JUSTICE: Number(row.social_justice_millipoints),
      CIRCULARITY: Number(row.circularity_millipoints),
    },
  };
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function sumOf(buckets: BucketTotals[], participants: number): BucketTotals {
  const millipoints = Object.fromEntries(
    DIMENSIONS.map((d) => [d, buckets.reduce((sum, b) => sum + b.millipoints[d], 0)]),
  ) as DimensionMillipoints;
  return {
    start: buckets[0]!.start,
    eventCount: buckets.reduce((sum, b) => sum + b.eventCount, 0),
    participantCount: participants,
    millipoints,
  };
}
