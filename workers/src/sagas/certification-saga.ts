import { CertificationRequests, CourseFactsRepository, SubmissionRepository, changeStatus } from '@academy/subgraph-conocer';
import { courseCompletionEvent } from '@academy/impact-scoring';
import { PublicError, type Database } from '@academy/platform';
import type { SagaDefinition } from './saga-runner';

export interface CertificationContext {
  tenantId: string;
  certificateId: string;
}

/**
 * After a course is completed and its certificate issued: the completion's impact event, the
 * CONOCER submission (when the course has a standard and the learner asked for it); the
 * learner's notification comes from the event itself (notifications). A revoked certificate stops the saga and compensates what was done.
 */
export function certificationSaga(database: Database): SagaDefinition<CertificationContext> {
  const certificateOf = (context: CertificationContext) =>
    database.forTenant(context.tenantId).run((tx) =>
      tx.certificate.findFirst({
        where: { tenantId: context.tenantId, id: context.certificateId },
        include: {
          course: { select: { title: true, competencyStandardCode: true, lessons: { select: { durationMinutes: true } } } },
          enrollment: { select: { conocerRequested: true } },
        },
      }),
    );
  const sourceKey = (context: CertificationContext) => `certificate:${context.certificateId}`;

  return {
    name: 'certification',
    async abortReason(context) {
      const certificate = await certificateOf(context);
      if (!certificate) return 'the certificate no longer exists';
      return certificate.status === 'REVOKED' ? `certificate revoked: ${certificate.revocationReason ?? ''}`.trim() : null;
    },
    steps: [
      {
        name: 'impact-event',
        async run(context) {
          const certificate = (await certificateOf(context))!;
          const minutes = certificate.course.lessons.reduce((sum, lesson) => sum + lesson.durationMinutes, 0);
          const created = await database.forTenant(context.tenantId).run(async (tx) => {
            const membership = await tx.communityMembership.findFirst({
              where: { tenantId: context.tenantId, userId: certificate.learnerId },
              orderBy: [{ joinedAt: 'asc' }, { communityId: 'asc' }],
            });
            return tx.impactEvent.createMany({
              data: [
                {
                  tenantId: context.tenantId,
                  userId: certificate.learnerId,
                  communityId: membership?.communityId ?? null,
                  ...courseCompletionEvent({ title: certificate.course.title, minutes }),
                  verifiedAt: certificate.issuedAt,
                  sourceKey: sourceKey(context),
                  occurredAt: certificate.issuedAt,
                },
              ],
              skipDuplicates: true,
            });
          });
          return { status: 'DONE', detail: created.count === 1 ? 'impact event recorded' : 'impact event already recorded' };
        },
        async compensate(context) {
          const { count } = await database
            .forTenant(context.tenantId)
            .run((tx) => tx.impactEvent.deleteMany({ where: { tenantId: context.tenantId, sourceKey: sourceKey(context) } }));
          return count > 0 ? 'impact event removed' : 'no impact event to remove';
        },
      },
      {
        name: 'conocer-submission',
        async run(context) {
          const certificate = (await certificateOf(context))!;
          if (!certificate.course.competencyStandardCode) return { status: 'SKIPPED', detail: 'the course prepares for no EC standard' };
          if (!certificate.enrollment.conocerRequested)
            return { status: 'SKIPPED', detail: 'the learner did not ask for CONOCER certification' };
          const db = database.forTenant(context.tenantId);
          const requests = new CertificationRequests(new SubmissionRepository(db), new CourseFactsRepository(db));
          try {
            const submission = await requests.request(context.certificateId, {
              userId: certificate.learnerId,
              tenantId: context.tenantId,
              persona: 'LEARNER',
            });
            return { status: 'DONE', detail: `submission ${submission.id} ${submission.status}` };
          } catch (error) {
            // Not deliverable as it is (compliance, CURP): the learner can fix it and ask again.
            if (error instanceof PublicError && error.code === 'BAD_USER_INPUT') return { status: 'SKIPPED', detail: error.message };
            throw error;
          }
        },
        async compensate(context) {
          return database.forTenant(context.tenantId).run(async (tx) => {
            const submission = await tx.conocerSubmission.findFirst({
              where: { tenantId: context.tenantId, certificateId: context.certificateId },
            });
            if (!submission) return 'no submission';
            if (submission.status !== 'PENDING') return `submission already ${submission.status} at CONOCER; left as is`;
            const reason = 'Retirada: el certificado fue revocado antes de enviarse';
            await changeStatus(tx, submission, { status: 'FAILED', reason, failureReason: reason });
            return 'pending submission withdrawn';
          });
        },
      },
    ],
  };
}
