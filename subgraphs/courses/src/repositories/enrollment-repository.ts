import { enrollmentCreated } from '@academy/events';
import { isUuid, type Course, type Enrollment, type EnrollmentStatus, type Persona, type TenantScope } from '@academy/platform';

/** Learners' enrollments (`ofLearners`) and what a list of them shows beside each. */
export interface LearnerEnrollments {
  /** By `learnerKey`, newest first. */
  byKey: Map<string, Enrollment[]>;
  /** Their courses' rows. */
  courses: Course[];
  /** Completed lesson ids by enrollment id, oldest first. */
  completedLessonIds: Map<string, string[]>;
  /** Lesson ids by course id. */
  lessonIds: Map<string, string[]>;
}

/** A learner's enrollments per status filter: the key of the batched lookup. */
export interface LearnerEnrollmentsKey {
  learnerId: string;
  status: EnrollmentStatus | null;
}

/** Enrollments and lesson progress of one tenant. */
export class EnrollmentRepository {
  constructor(private readonly db: TenantScope) {}

  findByIds(ids: readonly string[]): Promise<Enrollment[]> {
    return this.db.rows('Enrollment', 'id', ids);
  }

  /**
   * Enrollments per (learner, status) key, newest first, one statement for every key, and with
   * them what a list of enrollments shows beside each (its course's row, its completed lesson
   * ids, its course's lesson ids: the progress), read in the same statement: a learner's
   * dashboard asked the courses subgraph four statements one after the other for these, now one.
   */
  async ofLearners(keys: readonly LearnerEnrollmentsKey[]): Promise<LearnerEnrollments> {
    const learnerIds = [...new Set(keys.map((key) => key.learnerId).filter(isUuid))];
    const found =
      learnerIds.length === 0
        ? []
        : await this.db.sql<{
            enrollment: Record<string, unknown>;
            course: Record<string, unknown>;
            completed: string[];
            lessons: string[];
          }>(
            `SELECT to_jsonb(e) AS enrollment, to_jsonb(c) AS course,
               ARRAY(SELECT lc.lesson_id::text FROM lesson_completions lc
                     WHERE lc.tenant_id = e.tenant_id AND lc.enrollment_id = e.id ORDER BY lc.completed_at ASC) AS completed,
               ARRAY(SELECT l.id::text FROM lessons l WHERE l.tenant_id = e.tenant_id AND l.course_id = e.course_id) AS lessons
             FROM enrollments e JOIN courses c ON c.tenant_id = e.tenant_id AND c.id = e.course_id
             WHERE e.tenant_id = $1 AND e.learner_id = ANY($2)
             ORDER BY e.enrolled_at DESC, e.id DESC`,
            [this.db.tenantId, learnerIds],
          );
    const rows = found.map((row) => this.db.fromJson('Enrollment', row.enrollment));
    return {
      byKey: new Map(
        keys.map((key) => [
          learnerKey(key),
          rows.filter((row) => row.learnerId === key.learnerId && (!key.status || row.status === key.status)),
        ]),
      ),
      courses: found.map((row) => this.db.fromJson('Course', row.course)),
      completedLessonIds: new Map(found.map((row, i) => [rows[i]!.id, row.completed])),
      lessonIds: new Map(found.map((row, i) => [rows[i]!.courseId, row.lessons])),
    };
  }

  /** One learner's enrollment in each of the courses asked (by course id), one query for all. */
  async ofLearnerInCourses(learnerId: string, courseIds: readonly string[]): Promise<Map<string, Enrollment>> {
    if (!isUuid(learnerId)) return new Map();
    const rows = await this.db.rows('Enrollment', 'courseId', courseIds, { where: { learnerId } });
    return new Map(rows.map((row) => [row.courseId, row]));
  }

  /** Completed lesson ids per enrollment id. */
  async completedLessonIds(enrollmentIds: readonly string[]): Promise<Map<string, string[]>> {
    const rows = await this.db.sql<{ enrollmentId: string; lessonId: string }>(
      `SELECT enrollment_id AS "enrollmentId", lesson_id AS "lessonId" FROM lesson_completions
        WHERE tenant_id = $1 AND enrollment_id = ANY($2) ORDER BY completed_at ASC`,
      [this.db.tenantId, enrollmentIds.filter(isUuid)],
    );
    const byEnrollment = new Map<string, string[]>();
    for (const row of rows) byEnrollment.set(row.enrollmentId, [...(byEnrollment.get(row.enrollmentId) ?? []), row.lessonId]);
    return byEnrollment;
  }

  /**
   * Whether the learner has a PAID order for the course (commerce's `orders`, read here only to
   * let a paying learner enroll: the order is commerce's to write).
   */
  async paidFor(courseId: string, learnerId: string): Promise<boolean> {
    if (!isUuid(courseId) || !isUuid(learnerId)) return false;
    const [paid] = await this.db.sql<{ paid: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM orders WHERE tenant_id = $1 AND course_id = $2 AND buyer_id = $3 AND status = 'PAID') AS paid`,
      [this.db.tenantId, courseId, learnerId],
    );
    return paid!.paid;
  }

  /**
   * A paid order's enrollment (order.paid, run by the workers): the learner enrolled in the
   * course, once. An ACTIVE or COMPLETED enrollment stays as it is; a CANCELLED one (a refunded
   * earlier purchase) is active again; otherwise it is created with its `enrollment.created`.
   */
  grantPaid(courseId: string, learnerId: string): Promise<Enrollment> {
    return this.db.run(async (tx) => {
      const existing = await tx.enrollment.findUnique({ where: { courseId_learnerId: { courseId, learnerId } } });
      if (existing && existing.status !== 'CANCELLED') return existing;
      if (existing) return tx.enrollment.update({ where: { id: existing.id }, data: { status: 'ACTIVE', completedAt: null } });
      return this.create(courseId, learnerId, false);
    });
  }

  /** The learner's enrollment in the course CANCELLED (a refund); none, or one already cancelled: nothing changes. */
  async cancel(courseId: string, learnerId: string): Promise<void> {
    await this.db.run((tx) =>
      tx.enrollment.updateMany({
        where: { tenantId: this.db.tenantId, courseId, learnerId, status: { not: 'CANCELLED' } },
        data: { status: 'CANCELLED' },
      }),
    );
  }

  /** The enrollment and its `enrollment.created` event, in one transaction (sent through node-postgres). */
  create(courseId: string, learnerId: string, conocerRequested: boolean): Promise<Enrollment> {
    const tenantId = this.db.tenantId;
    return this.db.unit(async (statement) => {
      const [created] = await statement<{ row: Record<string, unknown> }>(
        `INSERT INTO enrollments (id, tenant_id, course_id, learner_id, conocer_requested, enrolled_at, updated_at)
         VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, $6, $6) RETURNING to_jsonb(enrollments) AS row`,
        [crypto.randomUUID(), tenantId, courseId, learnerId, conocerRequested, new Date()],
      );
      const enrollment = this.db.fromJson('Enrollment', created!.row);
      await enrollmentCreated.insert(statement, {
        tenantId,
        aggregateId: enrollment.id,
        payload: { enrollmentId: enrollment.id, courseId, learnerId },
      });
      return enrollment;
    });
  }

  /**
   * The lesson completed (once, however often it is asked) and the enrollment's last activity
   * now, as one statement: the enrollment as it is after, or null when it is not this tenant's.
   */
  async addCompletion(enrollmentId: string, lessonId: string, at = new Date()): Promise<Enrollment | null> {
    const tenantId = this.db.tenantId;
    const [touched] = await this.db.unit((statement) =>
      statement<{ row: Record<string, unknown> }>(
        `WITH completed AS (
           INSERT INTO lesson_completions (tenant_id, enrollment_id, lesson_id, completed_at)
           SELECT tenant_id, id, $3::uuid, $4 FROM enrollments WHERE tenant_id = $1::uuid AND id = $2::uuid
           ON CONFLICT DO NOTHING
         )
         UPDATE enrollments SET last_activity_at = $4, updated_at = $4
          WHERE tenant_id = $1::uuid AND id = $2::uuid RETURNING to_jsonb(enrollments) AS row`,
        [tenantId, enrollmentId, lessonId, at],
      ),
    );
    return touched ? this.db.fromJson('Enrollment', touched.row) : null;
  }

  /** The final score; a grader's (submitFinalAssessment) with an audit row of who graded, in the same transaction. */
  setFinalScore(id: string, finalScore: number, grader?: { id: string; persona: Persona }): Promise<Enrollment> {
    const tenantId = this.db.tenantId;
    return this.db.run(async (tx) => {
      const scored = await tx.enrollment.update({ where: { id, tenantId }, data: { finalScore } });
      if (grader)
        await tx.auditLog.create({
          data: {
            tenantId,
            actorId: grader.id,
            actorPersona: grader.persona,
            action: 'enrollment.graded',
            targetType: 'Enrollment',
            targetId: id,
            metadata: { finalScore },
          },
        });
      return scored;
    });
  }

  /** ACTIVE -> COMPLETED, only once even under concurrent requests; null when another request won. */
  async markCompleted(id: string, at: Date): Promise<Enrollment | null> {
    return this.db.run(async (tx) => {
      const { count } = await tx.enrollment.updateMany({
        where: { id, tenantId: this.db.tenantId, status: 'ACTIVE' },
        data: { status: 'COMPLETED', completedAt: at },
      });
      return count === 1 ? tx.enrollment.findUnique({ where: { id } }) : null;
    });
  }
}

export function learnerKey(key: LearnerEnrollmentsKey): string {
  return `${key.learnerId}:${key.status ?? '*'}`;
}
