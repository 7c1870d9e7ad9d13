import { seesEveryCourse } from '@academy/permissions';
import {
  decodeCursor,
  isUuid,
  pageSize,
  toPage,
  type Course,
  type CourseModule,
  type CourseStatus,
  type Lesson,
  type Page,
  type Persona,
  type Prisma,
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
    return this.db.byIds(ids, (tx, valid) => tx.course.findMany({ where: { tenantId: this.db.tenantId, id: { in: valid } } }));
  }

  findBySlug(slug: string): Promise<Course | null> {
    return this.db.run((tx) => tx.course.findUnique({ where: { tenantId_slug: { tenantId: this.db.tenantId, slug } } }));
  }

  slugsLike(base: string): Promise<string[]> {
    return this.db.run(async (tx) =>
      (await tx.course.findMany({ where: { tenantId: this.db.tenantId, slug: { startsWith: base } }, select: { slug: true } })).map(
        (c) => c.slug,
      ),
    );
  }

  /** Newest first; the cursor is (createdAt, id). Only what the viewer may see. */
  async page(
    args: { first?: number | null; after?: string | null; search?: string | null; status?: CourseStatus | null },
    viewer: Viewer | null,
  ): Promise<Page<Course>> {
    const size = pageSize(args.first);
    const after = decodeCursor(args.after, ['string', 'string']);
    // The filter form of seesCourse.
    const visible: Prisma.CourseWhereInput = seesEveryCourse(viewer)
      ? {}
      : viewer
        ? { OR: [{ status: 'PUBLISHED' }, { instructorId: viewer.userId }] }
        : { status: 'PUBLISHED' };
    // Searched as text: Prisma's `contains` hands LIKE's wildcards (% _) and escape character (\) to PostgreSQL as they are.
    const search = args.search?.trim().replace(/[\\%_]/g, '\\$&');
    const filter: Prisma.CourseWhereInput = {
      AND: [
        { tenantId: this.db.tenantId },
        visible,
        args.status ? { status: args.status } : {},
        search
          ? { OR: [{ title: { contains: search, mode: 'insensitive' } }, { description: { contains: search, mode: 'insensitive' } }] }
          : {},
      ],
    };
    // One connection per transaction: its queries go one after the other.
    const [rows, total] = await this.db.run(
      async (tx) =>
        [
          await tx.course.findMany({
            where: after
              ? {
                  AND: [
                    filter,
                    {
                      OR: [
                        { createdAt: { lt: new Date(after[0] as string) } },
                        { createdAt: new Date(after[0] as string), id: { lt: after[1] as string } },
                      ],
                    },
                  ],
                }
              : filter,
            orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
            take: size + 1,
          }),
          await tx.course.count({ where: filter }),
        ] as const,
    );
    return toPage(rows, size, total, (course) => [course.createdAt.toISOString(), course.id]);
  }

  /** Modules with their lessons, in order, per course id. */
  async modulesOf(courseIds: readonly string[]): Promise<Map<string, ModuleWithLessons[]>> {
    const modules = await this.db.run((tx) =>
      tx.courseModule.findMany({
        where: { tenantId: this.db.tenantId, courseId: { in: courseIds.filter(isUuid) } },
        include: { lessons: { orderBy: { position: 'asc' } } },
        orderBy: { position: 'asc' },
      }),
    );
    const byCourse = new Map<string, ModuleWithLessons[]>();
    for (const module of modules) byCourse.set(module.courseId, [...(byCourse.get(module.courseId) ?? []), module]);
    return byCourse;
  }

  /** Lesson ids per course id (to know when a course is done). */
  async lessonIdsOf(courseIds: readonly string[]): Promise<Map<string, string[]>> {
    const lessons = await this.db.run((tx) =>
      tx.lesson.findMany({
        where: { tenantId: this.db.tenantId, courseId: { in: courseIds.filter(isUuid) } },
        select: { id: true, courseId: true },
      }),
    );
    const byCourse = new Map<string, string[]>();
    for (const lesson of lessons) byCourse.set(lesson.courseId, [...(byCourse.get(lesson.courseId) ?? []), lesson.id]);
    return byCourse;
  }

  async enrollmentCounts(courseIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.db.run((tx) =>
      tx.enrollment.groupBy({
        by: ['courseId'],
        where: { tenantId: this.db.tenantId, courseId: { in: courseIds.filter(isUuid) }, status: { not: 'CANCELLED' } },
        _count: { _all: true },
      }),
    );
    return new Map(rows.map((row) => [row.courseId, row._count._all]));
  }

  /** Courses per instructor id, newest first. */
  async taughtBy(instructorIds: readonly string[]): Promise<Map<string, Course[]>> {
    const rows = await this.db.run((tx) =>
      tx.course.findMany({
        where: { tenantId: this.db.tenantId, instructorId: { in: instructorIds.filter(isUuid) } },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
    );
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

  publish(id: string, at: Date): Promise<Course> {
    return this.db.run((tx) =>
      tx.course.update({ where: { id, tenantId: this.db.tenantId }, data: { status: 'PUBLISHED', publishedAt: at } }),
    );
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

  standardExists(code: string): Promise<boolean> {
    return this.db.run(async (tx) => (await tx.competencyStandard.count({ where: { code } })) > 0);
  }
}
