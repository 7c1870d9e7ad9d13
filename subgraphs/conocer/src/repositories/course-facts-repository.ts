import { isUuid, type Certificate, type TenantScope } from '@academy/platform';
import type { CourseFacts } from '../compliance/solarpunk-compliance';

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
    return this.db.run((tx) =>
      tx.certificate.findFirst({
        where: { tenantId: this.db.tenantId, id },
        include: { course: { select: { competencyStandardCode: true } }, learner: { select: { curp: true } } },
      }),
    );
  }
}
