import type { Granularity } from '@academy/impact-scoring';
import type { Database, Logger } from '@academy/platform';

export interface RollupRepair {
  relation: string;
  inserted: number;
  updated: number;
  deleted: number;
}

/**
 * The aggregation's two paths, both in the database (prisma/migrations/*_impact_pipeline):
 * applying pending deltas as events change, and rolling up (recomputing set-based and repairing)
 * buckets on a schedule. Both serialize on one advisory lock.
 */
export class ImpactAggregation {
  constructor(
    private readonly database: Database,
    private readonly logger: Pick<Logger, 'info' | 'warn'>,
    private readonly batchSize = 1000,
  ) {}

  /** Applies every pending delta, a batch per transaction; returns how many. */
  async applyPending(): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await this.database.prisma.$queryRaw<
        { applied: number }[]
      >`SELECT app_impact_apply_deltas(${this.batchSize}::integer) AS "applied"`;
      const applied = Number(rows[0]?.applied ?? 0);
      total += applied;
      if (applied < this.batchSize) return total;
    }
  }

  /** Recomputes the buckets of `granularities` holding `since` and later; returns what it repaired (nothing, without drift). */
  async rollup(granularities: readonly Granularity[], since: Date): Promise<RollupRepair[]> {
    const started = Date.now();
    const rows = await this.database.prisma.$queryRaw<{ relation: string; inserted: bigint; updated: bigint; deleted: bigint }[]>`
      SELECT * FROM app_impact_recompute(${[...granularities]}::"AggregateGranularity"[], ${since.toISOString().slice(0, 10)}::date)`;
    const repairs = rows.map((row) => ({
      relation: row.relation,
      inserted: Number(row.inserted),
      updated: Number(row.updated),
      deleted: Number(row.deleted),
    }));
    const drift = repairs.reduce((sum, repair) => sum + repair.inserted + repair.updated + repair.deleted, 0);
    (drift > 0 ? this.logger.warn.bind(this.logger) : this.logger.info.bind(this.logger))(
      { granularities, since: since.toISOString().slice(0, 10), repairs, ms: Date.now() - started },
      drift > 0 ? 'impact rollup repaired drift' : 'impact rollup found no drift',
    );
    return repairs;
  }
}

/** The day `days` before `now` (UTC), or the beginning of time. */
export function rollupSince(sinceDays: number | null, now = new Date()): Date {
  return sinceDays === null
    ? new Date(Date.UTC(1970, 0, 1))
    : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - sinceDays));
}
