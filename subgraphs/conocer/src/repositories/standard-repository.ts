import { decodeCursor, pageSize, toPage, type CompetencyStandard, type Database, type Page, type Prisma } from '@academy/platform';
import type { StandardCache } from './standard-cache';

/** The RENEC catalogue: reference data shared by every tenant (no tenant column, no RLS). */
export class StandardRepository {
  constructor(
    private readonly database: Database,
    private readonly cache: StandardCache,
  ) {}

  findByCodes(codes: readonly string[]): Promise<CompetencyStandard[]> {
    return this.cache.byCodes(codes, (missing) => this.database.prisma.competencyStandard.findMany({ where: { code: { in: missing } } }));
  }

  /** Ordered by code; the cursor is the code. */
  page(args: {
    first?: number | null;
    after?: string | null;
    search?: string | null;
    level?: number | null;
    sector?: string | null;
  }): Promise<Page<CompetencyStandard>> {
    return this.cache.page(args, () => this.pageFromDatabase(args));
  }

  private async pageFromDatabase(args: {
    first?: number | null;
    after?: string | null;
    search?: string | null;
    level?: number | null;
    sector?: string | null;
  }): Promise<Page<CompetencyStandard>> {
    const size = pageSize(args.first);
    const after = decodeCursor(args.after, ['string']);
    const search = args.search?.trim();
    const filter: Prisma.CompetencyStandardWhereInput = {
      active: true,
      ...(args.level !== null && args.level !== undefined ? { level: args.level } : {}),
      ...(args.sector ? { sector: { equals: args.sector, mode: 'insensitive' } } : {}),
      ...(search ? { OR: [{ title: { contains: search, mode: 'insensitive' } }, { code: { startsWith: search.toUpperCase() } }] } : {}),
    };
    const [rows, total] = await Promise.all([
      this.database.prisma.competencyStandard.findMany({
        where: after ? { AND: [filter, { code: { gt: after[0] as string } }] } : filter,
        orderBy: { code: 'asc' },
        take: size + 1,
      }),
      this.database.prisma.competencyStandard.count({ where: filter }),
    ]);
    return toPage(rows, size, total, (standard) => [standard.code]);
  }

  count(): Promise<number> {
    return this.database.prisma.competencyStandard.count({ where: { active: true } });
  }

  async lastSuccessfulSyncAt(): Promise<Date | null> {
    const run = await this.database.prisma.standardsSyncRun.findFirst({ where: { status: 'SUCCEEDED' }, orderBy: { finishedAt: 'desc' } });
    return run?.finishedAt ?? null;
  }
}
