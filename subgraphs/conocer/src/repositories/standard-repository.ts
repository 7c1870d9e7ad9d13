import { decodeCursor, pageSize, Prisma, toPage, type CompetencyStandard, type Database, type Page } from '@academy/platform';
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
    const search = args.search?.trim();
    if (search) return this.searchPage({ ...args, search }, size);
    const after = decodeCursor(args.after, ['string']);
    const filter: Prisma.CompetencyStandardWhereInput = {
      active: true,
      ...(args.level !== null && args.level !== undefined ? { level: args.level } : {}),
      ...(args.sector ? { sector: { equals: args.sector, mode: 'insensitive' } } : {}),
    };
    const [rows, total] = await Promise.all([
      this.database.prisma.competencyStandard.findMany({
        where: after ? { AND: [filter, { code: { gt: after[0] as string } }] } : filter,
        orderBy: { code: 'asc' },
        take: size + 1,
      }),
      this.database.prisma.competencyStandard.count({ where: filter }),
    ]);
    return toPage(rows, size, total, (standard) => [standard.code], args.after);
  }

  /**
   * Catalogue search for Spanish, as courses(search:) does it (the courses subgraph's
   * CourseRepository.searchPage). A standard matches when its code starts with the term (any
   * case), its title contains the term, accents and case aside (search_text, kept by a trigger;
   * LIKE's % _ \ are text), or, for a term of four or more letters, digits and spaces, its title
   * has a word close to the term (pg_trgm's strict word similarity `<<%`: a typo or two; not
   * merely a shared stem, so "electrica" finds "eléctrico" but not "electrónico").
   *
   * Ranked, best first: the code starts with it (3000), else the title contains it (2000), else
   * the title is only close to it (its strict word similarity in thousandths, the closest
   * first); then by code. Paged by a keyset over that order, (rank desc, code), with the
   * unsearched order's cursor (the code): the rank is recomputed from the cursor's standard
   * (standards are never deleted, only made inactive). The catalogue has no row-level security:
   * both conditions on search_text are served by its trigram GIN index.
   */
  private async searchPage(
    args: { after?: string | null; search: string; level?: number | null; sector?: string | null },
    size: number,
  ): Promise<Page<CompetencyStandard>> {
    const after = decodeCursor(args.after, ['string']);
    const escape = (text: Prisma.Sql) => Prisma.sql`replace(replace(replace(${text}, '\\', '\\\\'), '%', '\\%'), '_', '\\_')`;
    const term = Prisma.sql`app_search_text(${args.search})`;
    const pattern = Prisma.sql`('%' || ${escape(term)} || '%')`;
    const codePrefix = Prisma.sql`(${escape(Prisma.sql`upper(${args.search})`)} || '%')`;
    const fuzzy = args.search.length >= 4 && /^[\p{L}\p{M}\p{N}\s]+$/u.test(args.search);
    const rank = (s: Prisma.Sql) =>
      Prisma.sql`(CASE WHEN ${s}."code" LIKE ${codePrefix} THEN 3000 WHEN ${s}."search_text" LIKE ${pattern} THEN 2000
        ELSE round(1000 * strict_word_similarity(${term}, ${s}."search_text")) END)::integer`;
    const filter = Prisma.sql`s."active"
      ${args.level !== null && args.level !== undefined ? Prisma.sql`AND s."level" = ${args.level}::integer` : Prisma.empty}
      ${args.sector ? Prisma.sql`AND lower(s."sector") = lower(${args.sector})` : Prisma.empty}
      AND (s."code" LIKE ${codePrefix} OR s."search_text" LIKE ${pattern} ${fuzzy ? Prisma.sql`OR ${term} <<% s."search_text"` : Prisma.empty})`;
    // Rank descending, code ascending: one row comparison on (-rank, code).
    const keyset = after
      ? Prisma.sql`WHERE (-"rank", "code") > (SELECT -${rank(Prisma.raw('a'))}, a."code" FROM "competency_standards" a WHERE a."code" = ${after[0]})`
      : Prisma.empty;
    // The total comes with the page (counted before the keyset); only a page past the end has to count apart.
    const ranked = await this.database.prisma.$queryRaw<{ code: string; total: number }[]>`
      SELECT "code", "total" FROM (
        SELECT s."code", ${rank(Prisma.raw('s'))} AS "rank", count(*) OVER ()::integer AS "total" FROM "competency_standards" s WHERE ${filter}
      ) ranked
      ${keyset}
      ORDER BY "rank" DESC, "code" ASC
      LIMIT ${size + 1}`;
    const count = () =>
      this.database.prisma.$queryRaw<
        [{ total: number }]
      >`SELECT count(*)::integer AS "total" FROM "competency_standards" s WHERE ${filter}`;
    const total = ranked[0]?.total ?? (after ? (await count())[0].total : 0);
    const codes = ranked.map((row) => row.code);
    const rows = codes.length === 0 ? [] : await this.database.prisma.competencyStandard.findMany({ where: { code: { in: codes } } });
    const byCode = new Map(rows.map((standard) => [standard.code, standard]));
    return toPage(
      codes.flatMap((code) => byCode.get(code) ?? []),
      size,
      total,
      (standard) => [standard.code],
      args.after,
    );
  }

  count(): Promise<number> {
    return this.database.prisma.competencyStandard.count({ where: { active: true } });
  }

  async lastSuccessfulSyncAt(): Promise<Date | null> {
    const run = await this.database.prisma.standardsSyncRun.findFirst({ where: { status: 'SUCCEEDED' }, orderBy: { finishedAt: 'desc' } });
    return run?.finishedAt ?? null;
  }
}
