import { certificationEvent } from '@academy/impact-scoring';
import type { Database } from '@academy/platform';

/**
 * A competency CONOCER certified (its submission APPROVED) lands as an impact event of the
 * learner, once: the submission is the event's source key.
 */
export async function recordCertificationImpact(
  database: Database,
  tenantId: string,
  submissionId: string,
): Promise<'recorded' | 'already recorded' | 'not approved'> {
  return database.forTenant(tenantId).run(async (tx) => {
    const submission = await tx.conocerSubmission.findFirst({
      where: { tenantId, id: submissionId },
      include: { certificate: { select: { learnerId: true, course: { select: { title: true } } } } },
    });
    if (!submission || submission.status !== 'APPROVED') return 'not approved';
    const approvedAt =
      (await tx.conocerStatusChange.findFirst({ where: { tenantId, submissionId, status: 'APPROVED' }, orderBy: { occurredAt: 'desc' } }))
        ?.occurredAt ?? submission.updatedAt;
    const membership = await tx.communityMembership.findFirst({
      where: { tenantId, userId: submission.certificate.learnerId },
      orderBy: [{ joinedAt: 'asc' }, { communityId: 'asc' }],
    });
    const event = certificationEvent({ standardCode: submission.standardCode, courseTitle: submission.certificate.course.title });
    const { count } = await tx.impactEvent.createMany({
      data: [
        {
          tenantId,
          userId: submission.certificate.learnerId,
          communityId: membership?.communityId ?? null,
          ...event,
          verifiedAt: approvedAt,
          sourceKey: `conocer:${submissionId}`,
          occurredAt: approvedAt,
        },
      ],
      skipDuplicates: true,
    });
    return count === 1 ? 'recorded' : 'already recorded';
  });
}
