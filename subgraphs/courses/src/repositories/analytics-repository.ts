import {
  newestFirstAfter,
  isUuid,
  pageSize,
  Prisma,
  toPage,
  type Enrollment,
  type EnrollmentStatus,
  type Page,
  type TenantScope,
} from '@academy/platform';

/** A course's figures over the enrollments that count: every one but CANCELLED. */
export interface CourseFigures {
  enrollmentCount: number;
  activeCount: number;
  completedCount: number;
  /** The average of each enrollment's progressPercent (as Enrollment.progressPercent gives it), two decimals. */
  averageProgressPercent: number;
  /** Of the enrollments with a final score, two decimals; null when none has one. */
  averageScore: number | null;
  submittedAttempts: number;
  passedAttempts: number;
  revenueCents: number;
  /** Learners who completed each lesson, by lesson id (a lesson nobody completed is absent). */
  lessonCompletions: Map<string, number>;
}

/** What the tenant's learners did in [from, to). */
export interface TenantFigures {
  activeLearners: number;
  newEnrollments: number;
  completions: number;
  revenueCents: number;
  currency: string;
  /** At most 5, most enrollments in the period first. */
  topCourseIds: string[];
}

export interface DailyCount {
  /** YYYY-MM-DD in the zone asked. */
  date: string;
  count: number;
}

/** date_trunc's unit for a report period (null: all time). */
export type PeriodUnit = 'day' | 'week' | 'month' | 'quarter' | 'year' | null;

/** The start of all time for a report: no figure of the platform is older. */
const ALL_TIME_START = new Date(0);

/** The currency of a tenant without courses. */
export const DEFAULT_CURRENCY = 'MXN';

/**
 * Revenue: paid orders minus refunds, in integer cents (commerce's `orders`, read here only). A
 * course's: what its PAID orders took (a refunded order gave it all back). A tenant's in a
 * period: what orders paid in the period took, minus what orders refunded in the period gave
 * back, in the tenant's currency (the one most of its courses use). The statements below
 * select these next to the other figures.
 */
const courseRevenueCents = (tenantId: Prisma.Sql, courseId: Prisma.Sql): Prisma.Sql =>
  Prisma.sql`SELECT coalesce(sum(o."total_cents"), 0) FROM "orders" o
    WHERE o."tenant_id" = ${tenantId} AND o."course_id" = ${courseId} AND o."status" = 'PAID'`;
const tenantRevenueCents = (tenantId: Prisma.Sql, currency: Prisma.Sql, from: Date, to: Date): Prisma.Sql =>
  Prisma.sql`SELECT coalesce(sum(o."total_cents") FILTER (WHERE o."paid_at" >= ${from}::timestamptz AND o."paid_at" < ${to}::timestamptz), 0)
      - coalesce(sum(o."total_cents") FILTER (WHERE o."status" = 'REFUNDED' AND o."refunded_at" >= ${from}::timestamptz AND o."refunded_at" < ${to}::timestamptz), 0)
    FROM "orders" o WHERE o."tenant_id" = ${tenantId} AND o."status" IN ('PAID', 'REFUNDED') AND o."currency" = (${currency})`;

/**
 * Instructor and tenant analytics of one tenant: every figure is an aggregate computed by
 * PostgreSQL, for every course asked in one statement. Enrollments that count are the ACTIVE and
 * COMPLETED ones (as Course.enrollmentCount counts them); a CANCELLED enrollment, its lessons and
 * attempts are in none of the figures. Read from the read replica when there is one: figures may
 * lag a moment behind the latest enrollment.
 */
export class AnalyticsRepository {
  constructor(private readonly db: TenantScope) {}

  /** Every course asked gets its figures (zero for a course without enrollments or not of the tenant). */
  async courseFigures(courseIds: readonly string[]): Promise<Map<string, CourseFigures>> {
    const ids = [...new Set(courseIds.filter(isUuid))];
    if (ids.length === 0) return new Map();
    const tenantId = Prisma.sql`${this.db.tenantId}::uuid`;
    const rows = await this.db.read(
      (tx) => tx.$queryRaw<
        {
          course_id: string;
          enrolled: number;
          active: number;
          completed: number;
          average_progress: number | null;
          average_score: number | null;
          submitted: number;
          passed: number;
          revenue_cents: number;
          lesson_completions: Record<string, number>;
        }[]
      >`
        WITH "counted" AS (
          SELECT e."id", e."course_id", e."status", e."final_score" FROM "enrollments" e
          WHERE e."tenant_id" = ${tenantId} AND e."course_id" = ANY(${ids}::uuid[]) AND e."status" <> 'CANCELLED'
        ),
        "lesson_totals" AS (
          SELECT l."course_id", count(*)::integer AS "lessons" FROM "lessons" l
          WHERE l."tenant_id" = ${tenantId} AND l."course_id" = ANY(${ids}::uuid[])
          GROUP BY l."course_id"
        ),
        "completions" AS (
          SELECT e."course_id", c."enrollment_id", c."lesson_id" FROM "lesson_completions" c
          JOIN "counted" e ON e."id" = c."enrollment_id"
          WHERE c."tenant_id" = ${tenantId}
        ),
        "done" AS (
          SELECT "enrollment_id", count(*) AS "lessons" FROM "completions" GROUP BY "enrollment_id"
        ),
        "progress" AS (
          -- Enrollment.progressPercent: COMPLETED is 100, else completed lessons over the course's lessons now.
          SELECT e."course_id", e."status", e."final_score",
            CASE WHEN e."status" = 'COMPLETED' THEN 100
                 WHEN coalesce(t."lessons", 0) = 0 THEN 0
                 ELSE round(100.0 * coalesce(d."lessons", 0) / t."lessons", 2)
            END AS "percent"
          FROM "counted" e
          LEFT JOIN "lesson_totals" t ON t."course_id" = e."course_id"
          LEFT JOIN "done" d ON d."enrollment_id" = e."id"
        ),
        "enrollment_figures" AS (
          SELECT "course_id",
            count(*)::integer AS "enrolled",
            (count(*) FILTER (WHERE "status" = 'ACTIVE'))::integer AS "active",
            (count(*) FILTER (WHERE "status" = 'COMPLETED'))::integer AS "completed",
            round(avg("percent"), 2)::float8 AS "average_progress",
            round(avg("final_score"), 2)::float8 AS "average_score"
          FROM "progress" GROUP BY "course_id"
        ),
        "attempt_figures" AS (
          SELECT e."course_id", count(*)::integer AS "submitted", (count(*) FILTER (WHERE a."passed"))::integer AS "passed"
          FROM "assessment_attempts" a JOIN "counted" e ON e."id" = a."enrollment_id"
          WHERE a."tenant_id" = ${tenantId} AND a."status" = 'SUBMITTED'
          GROUP BY e."course_id"
        ),
        "funnel" AS (
          SELECT "course_id", jsonb_object_agg("lesson_id", "learners") AS "lesson_completions" FROM (
            SELECT "course_id", "lesson_id", count(*)::integer AS "learners" FROM "completions" GROUP BY "course_id", "lesson_id"
          ) "per_lesson"
          GROUP BY "course_id"
        )
        SELECT k."course_id"::text AS "course_id",
          coalesce(f."enrolled", 0) AS "enrolled", coalesce(f."active", 0) AS "active", coalesce(f."completed", 0) AS "completed",
          f."average_progress", f."average_score",
          coalesce(a."submitted", 0) AS "submitted", coalesce(a."passed", 0) AS "passed",
          (${courseRevenueCents(tenantId, Prisma.sql`k."course_id"`)})::integer AS "revenue_cents",
          coalesce(n."lesson_completions", '{}'::jsonb) AS "lesson_completions"
        FROM unnest(${ids}::uuid[]) AS k("course_id")
        LEFT JOIN "enrollment_figures" f ON f."course_id" = k."course_id"
        LEFT JOIN "attempt_figures" a ON a."course_id" = k."course_id"
        LEFT JOIN "funnel" n ON n."course_id" = k."course_id"`,
    );
    return new Map(
      rows.map((row) => [
        row.course_id,
        {
          enrollmentCount: row.enrolled,
          activeCount: row.active,
          completedCount: row.completed,
          averageProgressPercent: row.average_progress ?? 0,
          averageScore: row.average_score,
          submittedAttempts: row.submitted,
          passedAttempts: row.passed,
          revenueCents: row.revenue_cents,
          lessonCompletions: new Map(Object.entries(row.lesson_completions)),
        },
      ]),
    );
  }

  /**
   * Enrollments per day of each course, for the `days` days ending today in `zone` (an IANA name
   * PostgreSQL knows: TenantTimezone), oldest first, days without one included: one statement per
   * distinct `days`, in one transaction.
   */
  async enrollmentsByDay(asked: { days: number; courseIds: readonly string[] }[], zone: string): Promise<Map<string, DailyCount[]>[]> {
    return this.db.read(async (tx) => {
      const answers: Map<string, DailyCount[]>[] = [];
      for (const { days, courseIds } of asked) {
        const ids = [...new Set(courseIds.filter(isUuid))];
        if (ids.length === 0) {
          answers.push(new Map());
          continue;
        }
        const rows = await tx.$queryRaw<{ course_id: string; date: string; count: number }[]>`
          WITH "today" AS (SELECT (now() AT TIME ZONE ${zone}::text)::date AS "day"),
          "days" AS (SELECT t."day" - n AS "day" FROM "today" t, generate_series(0, ${days - 1}::integer) AS n),
          "per_day" AS (
            SELECT e."course_id", (e."enrolled_at" AT TIME ZONE ${zone}::text)::date AS "day", count(*)::integer AS "enrollments"
            FROM "enrollments" e, "today" t
            WHERE e."tenant_id" = ${this.db.tenantId}::uuid AND e."course_id" = ANY(${ids}::uuid[]) AND e."status" <> 'CANCELLED'
              AND e."enrolled_at" >= ((t."day" - ${days - 1}::integer)::timestamp AT TIME ZONE ${zone}::text)
            GROUP BY 1, 2
          )
          SELECT k."course_id"::text AS "course_id", to_char(d."day", 'YYYY-MM-DD') AS "date", coalesce(p."enrollments", 0) AS "count"
          FROM unnest(${ids}::uuid[]) AS k("course_id") CROSS JOIN "days" d
          LEFT JOIN "per_day" p ON p."course_id" = k."course_id" AND p."day" = d."day"
          ORDER BY k."course_id", d."day"`;
        const byCourse = new Map<string, DailyCount[]>();
        for (const row of rows) byCourse.set(row.course_id, [...(byCourse.get(row.course_id) ?? []), { date: row.date, count: row.count }]);
        answers.push(byCourse);
      }
      return answers;
    });
  }

  /** The tenant's figures for each range [from, to), in one transaction. */
  async tenantFigures(ranges: readonly { from: Date; to: Date }[]): Promise<TenantFigures[]> {
    const tenantId = Prisma.sql`${this.db.tenantId}::uuid`;
    const tenantCurrency = Prisma.sql`SELECT coalesce((SELECT c."currency" FROM "courses" c WHERE c."tenant_id" = ${tenantId}
      GROUP BY c."currency" ORDER BY count(*) DESC, c."currency" LIMIT 1), ${DEFAULT_CURRENCY})`;
    return this.db.read(async (tx) => {
      const answers: TenantFigures[] = [];
      for (const { from, to } of ranges) {
        const within = (column: Prisma.Sql) => Prisma.sql`(${column} >= ${from}::timestamptz AND ${column} < ${to}::timestamptz)`;
        const [row] = await tx.$queryRaw<
          [
            {
              active_learners: number;
              new_enrollments: number;
              completions: number;
              revenue_cents: number;
              currency: string | null;
              top_course_ids: string[];
            },
          ]
        >`
          SELECT
            (SELECT count(DISTINCT "learner_id")::integer FROM (
              SELECT e."learner_id" FROM "lesson_completions" c JOIN "enrollments" e ON e."id" = c."enrollment_id"
              WHERE c."tenant_id" = ${tenantId} AND e."status" <> 'CANCELLED' AND ${within(Prisma.sql`c."completed_at"`)}
              UNION ALL
              SELECT e."learner_id" FROM "assessment_attempts" a JOIN "enrollments" e ON e."id" = a."enrollment_id"
              WHERE a."tenant_id" = ${tenantId} AND e."status" <> 'CANCELLED'
                AND (${within(Prisma.sql`a."started_at"`)} OR ${within(Prisma.sql`a."submitted_at"`)})
            ) "activity") AS "active_learners",
            (SELECT count(*)::integer FROM "enrollments" e
              WHERE e."tenant_id" = ${tenantId} AND e."status" <> 'CANCELLED' AND ${within(Prisma.sql`e."enrolled_at"`)}) AS "new_enrollments",
            (SELECT count(*)::integer FROM "enrollments" e
              WHERE e."tenant_id" = ${tenantId} AND e."status" = 'COMPLETED' AND ${within(Prisma.sql`e."completed_at"`)}) AS "completions",
            (${tenantRevenueCents(tenantId, tenantCurrency, from, to)})::integer AS "revenue_cents",
            (${tenantCurrency}) AS "currency",
            (SELECT coalesce(array_agg("course_id"::text ORDER BY "enrollments" DESC, "title", "course_id"), '{}') FROM (
              SELECT e."course_id", c."title", count(*) AS "enrollments"
              FROM "enrollments" e JOIN "courses" c ON c."id" = e."course_id"
              WHERE e."tenant_id" = ${tenantId} AND e."status" <> 'CANCELLED' AND ${within(Prisma.sql`e."enrolled_at"`)}
              GROUP BY e."course_id", c."title"
              ORDER BY count(*) DESC, c."title", e."course_id"
              LIMIT 5
            ) "top") AS "top_course_ids"`;
        answers.push({
          activeLearners: row.active_learners,
          newEnrollments: row.new_enrollments,
          completions: row.completions,
          revenueCents: row.revenue_cents,
          currency: row.currency ?? DEFAULT_CURRENCY,
          topCourseIds: row.top_course_ids,
        });
      }
      return answers;
    });
  }

  /** [from, to): the start of the period holding now in `zone` (ISO weeks start on Monday), and now. */
  async periodBounds(unit: PeriodUnit, zone: string): Promise<{ from: Date; to: Date }> {
    const [row] = await this.db.read((tx) =>
      unit === null
        ? tx.$queryRaw<[{ from: Date; to: Date }]>`SELECT ${ALL_TIME_START}::timestamptz AS "from", now() AS "to"`
        : tx.$queryRaw<[{ from: Date; to: Date }]>`
            SELECT date_trunc(${unit}::text, now() AT TIME ZONE ${zone}::text) AT TIME ZONE ${zone}::text AS "from", now() AS "to"`,
    );
    return row;
  }

  /** The tenant's `timezone` setting as stored (unchecked), or null. */
  async timezoneSetting(): Promise<string | null> {
    const [row] = await this.db.read(
      (tx) => tx.$queryRaw<[{ timezone: string | null }?]>`
        SELECT "settings"->>'timezone' AS "timezone" FROM "tenants" WHERE "id" = ${this.db.tenantId}::uuid`,
    );
    return row?.timezone ?? null;
  }

  /** PostgreSQL's own name of an IANA time zone (matched without regard to case), or null when it knows none such. */
  async databaseZoneName(name: string): Promise<string | null> {
    // pg_timezone_names reads the whole zone database (some 35 ms): callers remember the answer.
    const [row] = await this.db.read(
      (tx) => tx.$queryRaw<[{ name: string }?]>`SELECT "name" FROM pg_timezone_names WHERE lower("name") = lower(${name}) LIMIT 1`,
    );
    return row?.name ?? null;
  }

  /** A course's enrollments, newest first; the cursor is (enrolledAt, id). Every status unless one is asked. */
  async enrollmentPage(
    courseId: string,
    args: { first?: number | null; after?: string | null; status?: EnrollmentStatus | null },
  ): Promise<Page<Enrollment>> {
    const size = pageSize(args.first);
    const after = newestFirstAfter('enrolledAt', args.after);
    if (!isUuid(courseId)) return toPage([], size, 0, () => [], args.after);
    const filter: Prisma.EnrollmentWhereInput = { tenantId: this.db.tenantId, courseId, ...(args.status ? { status: args.status } : {}) };
    // One connection per transaction: its queries go one after the other.
    const [rows, total] = await this.db.read(
      async (tx) =>
        [
          await tx.enrollment.findMany({
            where: { AND: [filter, after] },
            orderBy: [{ enrolledAt: 'desc' }, { id: 'desc' }],
            take: size + 1,
          }),
          await tx.enrollment.count({ where: filter }),
        ] as const,
    );
    return toPage(rows, size, total, (enrollment) => [enrollment.enrolledAt.toISOString(), enrollment.id], args.after);
  }
}
