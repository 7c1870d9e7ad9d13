import { isUuid, type CourseStatus, type EnrollmentStatus, type TenantScope } from '@academy/platform';

/** What commerce needs of a course (the courses subgraph's table, read only). */
export interface CourseFacts {
  id: string;
  title: string;
  status: CourseStatus;
  priceCents: number;
  currency: string;
  instructorId: string;
}

/** A buyer's enrollment in a course, as commerce sees it (the courses subgraph's, read only). */
export interface EnrollmentFacts {
  id: string;
  status: EnrollmentStatus;
}

/** The courses and enrollments commerce prices and checks against; it never writes them. */
export class CourseFactsRepository {
  constructor(private readonly db: TenantScope) {}

  async course(id: string): Promise<CourseFacts | null> {
    if (!isUuid(id)) return null;
    return this.db.query((tx) =>
      tx.course.findFirst({
        where: { tenantId: this.db.tenantId, id },
        select: { id: true, title: true, status: true, priceCents: true, currency: true, instructorId: true },
      }),
    );
  }

  async enrollment(courseId: string, learnerId: string): Promise<EnrollmentFacts | null> {
    return this.db.query((tx) =>
      tx.enrollment.findFirst({ where: { tenantId: this.db.tenantId, courseId, learnerId }, select: { id: true, status: true } }),
    );
  }

  /** Each (course, learner) pair's enrollment id, by `courseId:learnerId`: one query for all. */
  async enrollmentIds(pairs: readonly string[]): Promise<Map<string, string>> {
    const split = pairs.map((pair) => pair.split(':') as [string, string]).filter(([c, l]) => isUuid(c) && isUuid(l));
    if (split.length === 0) return new Map();
    const rows = await this.db.query((tx) =>
      tx.enrollment.findMany({
        where: { tenantId: this.db.tenantId, OR: split.map(([courseId, learnerId]) => ({ courseId, learnerId })) },
        select: { id: true, courseId: true, learnerId: true },
      }),
    );
    return new Map(rows.map((row) => [`${row.courseId}:${row.learnerId}`, row.id]));
  }
}
