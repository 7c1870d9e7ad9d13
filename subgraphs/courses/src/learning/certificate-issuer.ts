import { CredentialIssuer, CredentialSigner, newVerificationCode, openBadgeCredential, statusListEntry } from '@academy/credentials';
import { certificateIssued } from '@academy/events';
import type { Certificate, Course, Enrollment, Prisma, TenantRef, TenantScope } from '@academy/platform';

/**
 * Issues the certificate of a completed enrollment, in the completing transaction: the signed
 * Open Badges 3.0 credential (issuer = the tenant's did:web, achievement aligned to the course's
 * EC standard, status = its own bit in the tenant's revocation status list), a verification
 * code, and the domain events other subgraphs react to (outbox).
 */
export class CertificateIssuer {
  constructor(
    private readonly db: TenantScope,
    private readonly signer: CredentialSigner,
    private readonly tenant: TenantRef,
    private readonly baseDomain: string,
  ) {}

  issue(enrollment: Enrollment, course: Course, at: Date): Promise<Certificate> {
    const tenantId = this.db.tenantId;
    return this.db.run(async (tx) => {
      const learner = await tx.user.findUniqueOrThrow({ where: { id: enrollment.learnerId }, select: { id: true, name: true } });
      const standard = course.competencyStandardCode
        ? await tx.competencyStandard.findUnique({ where: { code: course.competencyStandardCode } })
        : null;
      const certificateId = crypto.randomUUID();
      const issuer = new CredentialIssuer(this.tenant.slug, this.baseDomain);
      // The tenant's next status list index: the row lock makes concurrent issues take distinct ones.
      const [allocated] = await tx.$queryRaw<{ index: number }[]>`
        INSERT INTO credential_status_allocations (tenant_id, next_index) VALUES (${tenantId}::uuid, 1)
        ON CONFLICT (tenant_id) DO UPDATE SET next_index = credential_status_allocations.next_index + 1
        RETURNING next_index - 1 AS index`;
      const statusListIndex = allocated!.index;
      const credential = await this.signer.sign(
        openBadgeCredential({
          certificateId,
          issuedAt: at,
          issuer: { id: issuer.did, name: this.tenant.name },
          learner,
          achievement: {
            id: `${issuer.origin}/courses/${course.slug}`,
            name: course.title,
            description: course.description,
            criteria: `Completar todas las lecciones y obtener al menos ${course.passingScore} en la evaluación final.`,
          },
          standard: standard
            ? {
                code: standard.code,
                title: standard.title,
                url: `https://conocer.gob.mx/RENEC/fichaEstandar.do?method=obtenerPDFEstandar&idEstandarCompetencia=${standard.renecId ?? ''}`,
              }
            : null,
          status: statusListEntry(issuer, statusListIndex),
        }),
      );
      const certificate = await tx.certificate.create({
        data: {
          id: certificateId,
          tenantId,
          learnerId: enrollment.learnerId,
          courseId: course.id,
          enrollmentId: enrollment.id,
          verificationCode: newVerificationCode(),
          statusListIndex,
          credential: credential as unknown as Prisma.InputJsonValue,
          issuedAt: at,
        },
      });
      await certificateIssued.write(tx, {
        tenantId,
        aggregateId: certificate.id,
        payload: {
          certificateId: certificate.id,
          enrollmentId: enrollment.id,
          courseId: course.id,
          learnerId: enrollment.learnerId,
          competencyStandardCode: course.competencyStandardCode,
          issuedAt: at.toISOString(),
        },
      });
      return certificate;
    });
  }
}
