import type { CourseFacts } from '@academy/renec';
import { seesEveryCourse } from '@academy/permissions';
import {
  BadUserInputError,
  decodeCursor,
  isUuid,
  newestFirstCursor,
  Prisma,
  pageSize,
  toPage,
  type Course,
  type CourseModule,
  type CourseStatus,
  type Lesson,
  type Page,
  type Persona,
  type TenantScope,
  type Viewer,
} from '@academy/platform';

export type ModuleWithLessons = CourseModule & { lessons: Lesson[] };

/** A course's own stored fields, as Prisma has them (a new column is one here at once). */
export type CourseFields = Omit<
  Prisma.CourseUncheckedCreateInput,
  | 'id'
  | 'tenantId'
  | 'slug'
  | 'instructorId'
  | 'status'
  | 'publishedAt'
  | 'createdAt'
  | 'updatedAt'
  | 'modules'
  | 'lessons'
  | 'enrollments'
  | 'certificates'
>;
export type NewCourse = CourseFields & { slug: string; instructorId: string };
export interface NewModule {
  title: string;
  lessons: { title: string; durationMinutes: number }[];
}

/** The catalogue of one tenant. */
export class CourseRepository {
  constructor(private readonly db: TenantScope) {}

  findByIds(ids: readonly string[]): Promise<Course[]> {
    return this.db.rows('Course', 'id', ids);
  }

  findBySlug(slug: string): Promise<Course | null> {
    return this.db.rows('Course', 'slug', [slug], { uuid: false }).then((rows) => rows[0] ?? null);
  }

  slugsLike(base: string): Promise<string[]> {
    return this.db.run(async (tx) =>
      (await tx.course.findMany({ where: { tenantId: this.db.tenantId, slug: { startsWith: base } }, select: { slug: true } })).map(
        (c) => c.slug,
      ),
    );
  }

  /**
   * Newest first; the cursor is (createdAt, id). Only what the viewer may see. A search is ranked
   * instead, best match first (`searchPage`).
   */
  async page(
    args: { first?: number | null; after?: string | null; search?: string | null; status?: CourseStatus | null },
    viewer: Viewer | null,
  ): Promise<Page<Course>> {
    const size = pageSize(args.first);
    const search = args.search?.trim();
    if (search) return this.searchPage({ ...args, search }, size, viewer);
    const after = newestFirstCursor(args.after);
    // The filter form of seesCourse (as searchPage's).
    const values: unknown[] = [this.db.tenantId];
    const param = (value: unknown) => `$${values.push(value)}`;
    const conditions = ['c.tenant_id = $1::uuid'];
    if (!seesEveryCourse(viewer))
      conditions.push(
        viewer && isUuid(viewer.userId)
          ? `(c.status = 'PUBLISHED' OR c.instructor_id = ${param(viewer.userId)}::uuid)`
          : `c.status = 'PUBLISHED'`,
      );
    if (args.status) conditions.push(`c.status = ${param(args.status)}::"CourseStatus"`);
    const keyset = after ? `WHERE (v.created_at, v.id) < (${param(after.at.toISOString())}::timestamptz, ${param(after.id)}::uuid)` : '';
    // One statement: the page (newest first, one more than asked) and the total of what the
    // viewer may see, counted before the keyset (a page past the end still has its total). The
    // catalogue may lag a moment behind publishing: the read replica's, when there is one
    // (`readSql`; without one, no Prisma Client transaction around it).
    const found = await this.db.readSql<{ total: number; row: Record<string, unknown> | null }>(
      `WITH visible AS NOT MATERIALIZED (SELECT c.* FROM courses c WHERE ${conditions.join(' AND ')})
       SELECT t.total, p.row FROM (SELECT count(*)::integer AS total FROM visible) t
       LEFT JOIN LATERAL (
         SELECT to_jsonb(v) AS row, v.created_at, v.id FROM visible v ${keyset}
         ORDER BY v.created_at DESC, v.id DESC LIMIT ${param(size + 1)}
       ) p ON true
       ORDER BY p.created_at DESC, p.id DESC`,
      values,
    );
    const total = found[0]?.total ?? 0;
    const rows = found.flatMap((one) => (one.row ? [this.db.fromJson('Course', one.row)] : []));
    return toPage(rows, size, total, (course) => [course.createdAt.toISOString(), course.id], args.after);
  }

  /**
   * Catalogue search for Spanish. Accents and case aside (both sides through app_search_text():
   * the term; title and description in `search_text`, the title alone in `search_title`, which a
   * trigger keeps; see the spanish_search migration), a course matches when
   * - its title or description contains the term as typed (LIKE's wildcards % _ and escape
   *   character \ are text: app_search_pattern()), or
   * - one of its title's words is close to the term: a typo or two. pg_trgm's strict word
   *   similarity (`<<%`, at least pg_trgm.strict_word_similarity_threshold, 0.5 by default):
   *   "fotovoltaca" 0.67, "instalasion" 0.6, "eficiensia energetica" 0.75, but "electrica" is not
   *   "electronico" (0.38) nor "electromecanico" (0.3), which plain word similarity (`<%`, 0.6)
   *   lets through. Only for a term of four or more letters, digits and spaces: trigrams ignore
   *   every other character, so "100%" or "h_erto" would match "100" or "h erto" (a term with
   *   them means them literally).
   *
   * The matches come from app_search_courses() (the indexed_course_search migration): the
   * tenant's matching course ids and ranks, found through the trigram indexes, which a query
   * under row-level security cannot use (LIKE and pg_trgm's operators are not LEAKPROOF). The
   * courses it names are then read here under row-level security, with the viewer's visibility
   * and the status filter, as every catalogue read is.
   *
   * Ranked, best first (app_search_rank()): the title contains the term (2000), else the
   * description does (1000), else the title is only close to it (its strict word similarity in
   * thousandths, 500-999: the closest first); then newest first, as unsearched. Courses that
   * contain the term alike keep the catalogue's order ("100" finds "Reciclaje 1000" and
   * "Reciclaje 100%" newest first).
   *
   * Pagination is a keyset over the ranked order, (rank, createdAt, id), with the cursor of the
   * unsearched order, (createdAt, id): the rank is a function of the term and the course, so it
   * is recomputed from the cursor's course (by id) instead of travelling in the cursor. Pages
   * neither repeat nor skip a course while the catalogue stands still; a course edited between
   * two pages moves, as with any keyset. Courses are never deleted (archived instead); a cursor
   * whose course cannot be found ends the list.
   */
  private async searchPage(
    args: { after?: string | null; search: string; status?: CourseStatus | null },
    size: number,
    viewer: Viewer | null,
  ): Promise<Page<Course>> {
    const after = decodeCursor(args.after, ['string', 'string']);
    if (after && !isUuid(after[1]))
      throw new BadUserInputError('`after` is not a cursor this API returned', [{ field: 'after', message: 'invalid cursor' }]);
    const fuzzy = args.search.length >= 4 && /^[\p{L}\p{M}\p{N}\s]+$/u.test(args.search);
    // The filter form of seesCourse.
    const visible = seesEveryCourse(viewer)
      ? Prisma.empty
      : viewer && isUuid(viewer.userId)
        ? Prisma.sql`AND (c."status" = 'PUBLISHED' OR c."instructor_id" = ${viewer.userId}::uuid)`
        : Prisma.sql`AND c."status" = 'PUBLISHED'`;
    const matches = Prisma.sql`app_search_courses(${args.search}, ${fuzzy}) m
      JOIN "courses" c ON c."id" = m."id" AND c."tenant_id" = ${this.db.tenantId}::uuid ${visible}
      ${args.status ? Prisma.sql`AND c."status" = ${args.status}::"CourseStatus"` : Prisma.empty}`;
    const keyset = after
      ? Prisma.sql`WHERE ("rank", "created_at", "id") < (
          SELECT app_search_rank(${args.search}, a."search_title", a."search_text"), a."created_at", a."id" FROM "courses" a
          WHERE a."tenant_id" = ${this.db.tenantId}::uuid AND a."id" = ${after[1]}::uuid)`
      : Prisma.empty;
    // One connection per transaction: its queries go one after the other. The total comes with
    // the page (counted before the keyset); only a page past the end has to count apart.
    const [ids, rows, total] = await this.db.read(async (tx) => {
      const ranked = await tx.$queryRaw<{ id: string; total: number }[]>`
        SELECT "id", "total" FROM (
          SELECT c."id", c."created_at", m."rank", count(*) OVER ()::integer AS "total" FROM ${matches}
        ) ranked
        ${keyset}
        ORDER BY "rank" DESC, "created_at" DESC, "id" DESC
        LIMIT ${size + 1}`;
      const ids = ranked.map((row) => row.id);
      const rows = ids.length === 0 ? [] : await tx.course.findMany({ where: { tenantId: this.db.tenantId, id: { in: ids } } });
      const count = () => tx.$queryRaw<[{ total: number }]>`SELECT count(*)::integer AS "total" FROM ${matches}`;
      const total = ranked[0]?.total ?? (after ? (await count())[0].total : 0);
      return [ids, rows, total] as const;
    });
    const byId = new Map(rows.map((course) => [course.id, course]));
    return toPage(
      ids.flatMap((id) => byId.get(id) ?? []),
      size,
      total,
      (course) => [course.createdAt.toISOString(), course.id],
      args.after,
    );
  }

  /** Modules with their lessons, in order, per course id. */
  async modulesOf(courseIds: readonly string[]): Promise<Map<string, ModuleWithLessons[]>> {
    // One statement, one snapshot: each module with its lessons, both in order (a course's page
    // waited for the modules, then asked for their lessons).
    const found = await this.db.sql<{ module: Record<string, unknown>; lessons: Record<string, unknown>[] }>(
      `SELECT to_jsonb(m) AS module,
         COALESCE((SELECT jsonb_agg(to_jsonb(l) ORDER BY l.position) FROM lessons l
                    WHERE l.tenant_id = m.tenant_id AND l.module_id = m.id), '[]'::jsonb) AS lessons
       FROM course_modules m WHERE m.tenant_id = $1 AND m.course_id = ANY($2) ORDER BY m.position`,
      [this.db.tenantId, courseIds.filter(isUuid)],
    );
    const byCourse = new Map<string, ModuleWithLessons[]>();
    for (const row of found) {
      const module = this.db.fromJson('CourseModule', row.module);
      const lessons = row.lessons.map((lesson) => this.db.fromJson('Lesson', lesson));
      byCourse.set(module.courseId, [...(byCourse.get(module.courseId) ?? []), { ...module, lessons }]);
    }
    return byCourse;
  }

  /** Lesson ids per course id (to know when a course is done). */
  async lessonIdsOf(courseIds: readonly string[]): Promise<Map<string, string[]>> {
    const lessons = await this.db.sql<{ id: string; courseId: string }>(
      'SELECT id, course_id AS "courseId" FROM lessons WHERE tenant_id = $1 AND course_id = ANY($2)',
      [this.db.tenantId, courseIds.filter(isUuid)],
    );
    const byCourse = new Map<string, string[]>();
    for (const lesson of lessons) byCourse.set(lesson.courseId, [...(byCourse.get(lesson.courseId) ?? []), lesson.id]);
    return byCourse;
  }

  async enrollmentCounts(courseIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.db.sql<{ courseId: string; count: number }>(
      `SELECT course_id AS "courseId", count(*)::integer AS count FROM enrollments
        WHERE tenant_id = $1 AND course_id = ANY($2) AND status <> 'CANCELLED' GROUP BY course_id`,
      [this.db.tenantId, courseIds.filter(isUuid)],
    );
    return new Map(rows.map((row) => [row.courseId, row.count]));
  }

  /** Courses per instructor id, newest first. */
  async taughtBy(instructorIds: readonly string[]): Promise<Map<string, Course[]>> {
    const rows = await this.db.rows('Course', 'instructorId', instructorIds, {
      orderBy: [
        ['createdAt', 'desc'],
        ['id', 'desc'],
      ],
    });
    const byInstructor = new Map<string, Course[]>();
    for (const course of rows) byInstructor.set(course.instructorId, [...(byInstructor.get(course.instructorId) ?? []), course]);
    return byInstructor;
  }

  /** A DRAFT course with its modules and lessons, in order. */
  create(course: NewCourse, modules: NewModule[]): Promise<Course> {
    const tenantId = this.db.tenantId;
    return this.db.run(async (tx) => {
      const created = await tx.course.create({ data: { ...course, tenantId } });
      for (const [m, module] of modules.entries()) {
        const { id: moduleId } = await tx.courseModule.create({
          data: { tenantId, courseId: created.id, title: module.title, position: m + 1 },
        });
        await tx.lesson.createMany({
          data: module.lessons.map((lesson, l) => ({
            tenantId,
            courseId: created.id,
            moduleId,
            title: lesson.title,
            position: l + 1,
            durationMinutes: lesson.durationMinutes,
          })),
        });
      }
      return created;
    });
  }

  async lessonExists(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    return this.db.run(async (tx) => (await tx.lesson.count({ where: { tenantId: this.db.tenantId, id } })) > 0);
  }

  /** The persona of a user of this tenant, or null when there is no such user. */
  async personaOf(userId: string): Promise<Persona | null> {
    if (!isUuid(userId)) return null;
    return this.db.run(
      async (tx) =>
        (await tx.user.findFirst({ where: { tenantId: this.db.tenantId, id: userId }, select: { persona: true } }))?.persona ?? null,
    );
  }

  /** What the Solarpunk compliance rules look at (@academy/renec), for one course of the tenant. */
  complianceFacts(course: Course): Promise<CourseFacts> {
    return this.db.run(async (tx) => {
      const lessons = await tx.lesson.findMany({
        where: { tenantId: this.db.tenantId, courseId: course.id },
        select: { durationMinutes: true },
      });
      const standard = course.competencyStandardCode
        ? await tx.competencyStandard.findUnique({ where: { code: course.competencyStandardCode }, select: { active: true } })
        : null;
      return {
        status: course.status,
        competencyStandardCode: course.competencyStandardCode,
        standard,
        impactDimensions: course.impactDimensions,
        passingScore: course.passingScore,
        lessonCount: lessons.length,
        totalMinutes: lessons.reduce((sum, lesson) => sum + lesson.durationMinutes, 0),
      };
    });
  }

  standardExists(code: string): Promise<boolean> {
    return this.db.run(async (tx) => (await tx.competencyStandard.count({ where: { code } })) > 0);
  }
}
