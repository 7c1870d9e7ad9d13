import { randomBytes } from 'node:crypto';
import type { ConocerStatus, Database } from '@academy/platform';
import type { TestTenant } from '@academy/testing';

/** A completed enrollment of the tenant's LEARNER in `courseId` and the certificate it earned. */
export function certificateOf(database: Database, fixture: TestTenant, courseId: string, learnerId = fixture.users.LEARNER.id) {
  const tenantId = fixture.tenant.id;
  return database.forTenant(tenantId).run(async (tx) => {
    const enrollment = await tx.enrollment.create({
      data: { tenantId, courseId, learnerId, status: 'COMPLETED', finalScore: 90, completedAt: new Date() },
    });
    return tx.certificate.create({
      data: {
        tenantId,
        learnerId,
        courseId,
        enrollmentId: enrollment.id,
        verificationCode: randomBytes(6).toString('hex').toUpperCase(),
        credential: { type: ['VerifiableCredential', 'OpenBadgeCredential'] },
      },
    });
  });
}

/**
 * A submission of the LEARNER in `status` (with the history row that led there), for a certificate
 * of a course of its own (EC0217.01), written directly as the workers leave them.
 */
export async function submissionIn(
  database: Database,
  fixture: TestTenant,
  status: ConocerStatus,
  extra: { failureReason?: string; attempts?: number } = {},
) {
  const tenantId = fixture.tenant.id;
  const course = await database.forTenant(tenantId).run((tx) =>
    tx.course.create({
      data: {
        tenantId,
        slug: `curso-${randomBytes(4).toString('hex')}`,
        title: 'Curso con envío',
        description: 'Para una solicitud a CONOCER',
        status: 'PUBLISHED',
        instructorId: fixture.users.INSTRUCTOR.id,
        priceCents: 0,
        competencyStandardCode: 'EC0217.01',
      },
    }),
  );
  const certificate = await certificateOf(database, fixture, course.id);
  return database.forTenant(tenantId).run(async (tx) => {
    const submission = await tx.conocerSubmission.create({
      data: {
        tenantId,
        certificateId: certificate.id,
        standardCode: 'EC0217.01',
        requestedById: fixture.users.LEARNER.id,
        status,
        ...extra,
      },
    });
    const change = await tx.conocerStatusChange.create({
      data: { tenantId, submissionId: submission.id, status, previousStatus: 'PENDING', reason: extra.failureReason ?? null },
    });
    return { submission, certificate, change };
  });
}

/** A competency standard as the API shows it, read from the catalogue in the database. */
export async function standardOf(database: Database, code: string) {
  const standard = await database.prisma.competencyStandard.findUniqueOrThrow({ where: { code } });
  return {
    code: standard.code,
    title: standard.title,
    level: standard.level,
    sector: standard.sector,
    committee: standard.committee,
    updatedAt: standard.updatedAt.toISOString(),
  };
}

/** A valid CURP (checksum included), as the seed's learners have. */
export const CURP = 'HEGG560427MVZRRL04';
