import type { Database, Logger, Redis, StandardsSyncRun } from '@academy/platform';
import type { ConocerClient, ConocerStandard } from './conocer-client';
import { STANDARDS_VERSION_KEY } from '../repositories/standard-cache';

/**
 * Brings the catalogue up to date with CONOCER: only what changed since the newest standard
 * we hold (updatedSince), upserted in batches, counted, recorded as a run; then every cached
 * standard is invalidated.
 */
export class StandardsSync {
  constructor(
    private readonly database: Database,
    private readonly client: ConocerClient,
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly logger: Logger,
  ) {}

  async run(trigger: string): Promise<StandardsSyncRun> {
    const prisma = this.database.prisma;
    const newest = await prisma.competencyStandard.aggregate({ _max: { updatedAt: true } });
    const since = newest._max.updatedAt;
    const run = await prisma.standardsSyncRun.create({ data: { trigger, since } });
    let fetched = 0;
    let created = 0;
    let updated = 0;
    try {
      for await (const page of this.client.standards(since)) {
        fetched += page.length;
        const counts = await this.upsert(page);
        created += counts.created;
        updated += counts.updated;
      }
      const finished = await prisma.standardsSyncRun.update({
        where: { id: run.id },
        data: { status: 'SUCCEEDED', fetched, created, updated, finishedAt: new Date() },
      });
      await this.redis.incr(`${this.keyPrefix}${STANDARDS_VERSION_KEY}`).catch(() => undefined);
      this.logger.info({ trigger, since, fetched, created, updated }, 'standards synced');
      return finished;
    } catch (error) {
      await prisma.standardsSyncRun.update({
        where: { id: run.id },
        data: { status: 'FAILED', fetched, created, updated, error: (error as Error).message, finishedAt: new Date() },
      });
      throw error;
    }
  }

  /** INSERT ... ON CONFLICT in one statement per page; a row CONOCER did not change stays untouched. */
  private async upsert(page: ConocerStandard[]): Promise<{ created: number; updated: number }> {
    if (page.length === 0) return { created: 0, updated: 0 };
    const rows = await this.database.prisma.$queryRaw<{ inserted: boolean }[]>`
      INSERT INTO "competency_standards" ("code", "title", "level", "sector", "sector_id", "committee", "renec_id", "active", "updated_at", "synced_at")
      SELECT * , now() FROM unnest(
        ${page.map((s) => s.code)}::text[], ${page.map((s) => s.title)}::text[], ${page.map((s) => s.level)}::int[], ${page.map((s) => s.sector)}::text[],
        ${page.map((s) => s.sectorId)}::text[], ${page.map((s) => s.committee)}::text[], ${page.map((s) => s.renecId)}::text[],
        ${page.map((s) => s.active)}::boolean[], ${page.map((s) => new Date(s.updatedAt))}::timestamptz[])
      ON CONFLICT ("code") DO UPDATE SET
        "title" = EXCLUDED."title", "level" = EXCLUDED."level", "sector" = EXCLUDED."sector", "sector_id" = EXCLUDED."sector_id",
        "committee" = EXCLUDED."committee", "renec_id" = EXCLUDED."renec_id", "active" = EXCLUDED."active",
        "updated_at" = EXCLUDED."updated_at", "synced_at" = now()
      WHERE "competency_standards"."updated_at" < EXCLUDED."updated_at"
      RETURNING (xmax = 0) AS inserted`;
    const created = rows.filter((row) => row.inserted).length;
    return { created, updated: rows.length - created };
  }
}
