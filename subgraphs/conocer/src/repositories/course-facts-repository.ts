import { isUuid, type Certificate, type EvaluationCriterion, type Judgement, type TenantScope } from '@academy/platform';
import { missingCriteria } from '../portfolio/portfolio-view';
import type { CourseFacts } from '@academy/renec';

/**
 * What this subgraph needs to know about courses, certificates and learners to judge and
 * submit certification requests (read-only; the courses, certifications and users subgraphs own them).
 */
export class CourseFactsRepository {
  constructor(private readonly db: TenantScope) {}

  courseFacts(courseId: string): Promise<CourseFacts | null> {
    if (!isUuid(courseId)) return Promise.resolve(null);
    return this.db.run(async (tx) => {
      const course = await tx.course.findFirst({
        where: { tenantId: this.db.tenantId, id: courseId },
        include: { competencyStandard: { select: { active: true } }, lessons: { select: { durationMinutes: true } } },
      });
      if (!course) return null;
      return {
        status: course.status,
        competencyStandardCode: course.competencyStandardCode,
        standard: course.competencyStandard,
        impactDimensions: course.impactDimensions,
        passingScore: course.passingScore,
        lessonCount: course.lessons.length,
        totalMinutes: course.lessons.reduce((sum, lesson) => sum + lesson.durationMinutes, 0),
      };
    });
  }

  certificate(
    id: string,
  ): Promise<(Certificate & { course: { competencyStandardCode: string | null }; learner: { curp: string | null } }) | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.db.query((tx) =>
      tx.certificate.findFirst({
        where: { tenantId: this.db.tenantId, id },
        include: { course: { select: { competencyStandardCode: true } }, learner: { select: { curp: true } } },
      }),
    );
  }

  /**
   * Where an enrollment's evaluation portfolio stands, for the CONOCER request: the course's
   * criteria (none: the course's own assessment is the evaluation), those still without accepted
   * evidence, and the judgement.
   */
  evaluation(
    enrollmentId: string,
    courseId: string,
  ): Promise<{ criteria: number; missing: EvaluationCriterion[]; judgement: Judgement | null }> {
    const tenantId = this.db.tenantId;
    return this.db.run(async (tx) => {
      const criteria = await tx.evaluationCriterion.findMany({ where: { tenantId, courseId }, orderBy: { position: 'asc' } });
      if (criteria.length === 0) return { criteria: 0, missing: [], judgement: null };
      const portfolio = await tx.portfolio.findFirst({ where: { tenantId, id: enrollmentId }, select: { judgement: true } });
      const evidence = await tx.evidence.findMany({
        where: { tenantId, portfolioId: enrollmentId },
        select: { criterionId: true, status: true },
      });
      return { criteria: criteria.length, missing: missingCriteria(criteria, evidence), judgement: portfolio?.judgement ?? null };
    });
  }
}
