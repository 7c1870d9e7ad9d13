import {
  isUuid,
  type Assessment,
  type AssessmentAttempt,
  type AssessmentQuestion,
  type Prisma,
  type TenantScope,
  type Tx,
} from '@academy/platform';
import type { CheckedAssessment } from '../assessments/assessment-input';

export type AssessmentWithQuestions = Assessment & { questions: AssessmentQuestion[] };

/** One tenant's assessments and their attempts. */
export class AssessmentRepository {
  constructor(private readonly db: TenantScope) {}

  async ofCourses(courseIds: readonly string[]): Promise<Map<string, AssessmentWithQuestions>> {
    const rows = await this.db.query((tx) =>
      tx.assessment.findMany({
        where: { tenantId: this.db.tenantId, courseId: { in: courseIds.filter(isUuid) } },
        include: { questions: { orderBy: { position: 'asc' } } },
      }),
    );
    return new Map(rows.map((row) => [row.courseId, row]));
  }

  /** The course's assessment, replaced whole; false when a learner has already attempted it. */
  replace(courseId: string, assessment: CheckedAssessment): Promise<AssessmentWithQuestions | null> {
    return this.db.run(async (tx) => {
      const current = await tx.assessment.findUnique({
        where: { tenantId_courseId: { tenantId: this.db.tenantId, courseId } },
        include: { _count: { select: { attempts: true } } },
      });
      if (current && current._count.attempts > 0) return null;
      if (current) await tx.assessment.delete({ where: { id: current.id } });
      return tx.assessment.create({
        data: {
          tenantId: this.db.tenantId,
          courseId,
          maxAttempts: assessment.maxAttempts,
          timeLimitMinutes: assessment.timeLimitMinutes,
          questions: {
            // The question's tenant is its assessment's (the relation's key).
            create: assessment.questions.map((question, index) => ({
              position: index + 1,
              prompt: question.prompt,
              kind: question.kind,
              points: question.points,
              options: question.options as unknown as Prisma.InputJsonArray,
            })),
          },
        },
        include: { questions: { orderBy: { position: 'asc' } } },
      });
    });
  }

  async attemptsOf(enrollmentIds: readonly string[]): Promise<Map<string, AssessmentAttempt[]>> {
    const rows = await this.db.query((tx) =>
      tx.assessmentAttempt.findMany({
        where: { tenantId: this.db.tenantId, enrollmentId: { in: enrollmentIds.filter(isUuid) } },
        orderBy: { number: 'asc' },
      }),
    );
    const byEnrollment = new Map<string, AssessmentAttempt[]>();
    for (const row of rows) byEnrollment.set(row.enrollmentId, [...(byEnrollment.get(row.enrollmentId) ?? []), row]);
    return byEnrollment;
  }

  findAttempts(ids: readonly string[]): Promise<AssessmentAttempt[]> {
    return this.db.rows('AssessmentAttempt', 'id', ids);
  }

  /** The learner did something in the course at `at` (Enrollment.lastActivityAt), in the caller's transaction. */
  async recordActivity(tx: Tx, enrollmentId: string, at: Date): Promise<void> {
    await tx.enrollment.update({ where: { id: enrollmentId, tenantId: this.db.tenantId }, data: { lastActivityAt: at } });
  }

  /** `work` with the enrollment's row locked: one attempt decision at a time per learner and course. */
  lockingEnrollment<T>(enrollmentId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.run(async (tx) => {
      await tx.$queryRaw`SELECT id FROM enrollments WHERE tenant_id = ${this.db.tenantId}::uuid AND id = ${enrollmentId}::uuid FOR UPDATE`;
      return work(tx);
    });
  }
}
