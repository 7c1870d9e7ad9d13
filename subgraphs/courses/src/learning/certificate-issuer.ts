import { CredentialSigner, newVerificationCode, openBadgeCredential } from '@academy/credentials';
import { certificateIssued } from '@academy/events';
import type { Certificate, Course, Enrollment, Prisma, TenantRef, TenantScope } from '@academy/platform';

/**
 * Issues the certificate of a completed enrollment, in the completing transaction: the signed
 * Open Badges 3.0 credential (issuer = the tenant, achievement aligned to the course's EC
 * standard), a verification code, and the domain events other subgraphs react to (outbox).
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
      const issuerUrl = `https://${this.tenant.slug}.${this.baseDomain}`;
      const credential = await this.signer.sign(
        openBadgeCredential({
          certificateId,
          issuedAt: at,
          issuer: { id: issuerUrl, name: this.tenant.name },
          learner,
          achievement: {
            id: `${issuerUrl}/courses/${course.slug}`,
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
