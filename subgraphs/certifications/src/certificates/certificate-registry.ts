import { normalizeVerificationCode } from '@academy/credentials';
import { BadUserInputError, ConflictError, NotFoundError, type Certificate, type TenantRef, type Viewer } from '@academy/platform';
import type { CertificateVerification } from '../generated/resolvers-types';
import type { CertificateRepository } from '../repositories/certificate-repository';
import type { VerificationRepository } from '../repositories/verification-repository';

const NOT_VERIFIED: CertificateVerification = {
  valid: false,
  status: null,
  learnerName: null,
  courseTitle: null,
  tenantName: null,
  issuedAt: null,
  revokedAt: null,
  revocationReason: null,
  competencyStandardCode: null,
  conocerStatus: null,
};

/** Certificates once issued: public verification by code, and revocation by staff. */
export class CertificateRegistry {
  constructor(
    private readonly certificates: CertificateRepository,
    private readonly verification: VerificationRepository,
    private readonly tenant: TenantRef,
    /** The request's certificate loader (batched, cached). */
    private readonly load: (id: string) => Promise<Certificate | null>,
  ) {}

  /** What anyone may learn of a certificate from its code (any tenant's). */
  async verify(code: string): Promise<CertificateVerification> {
    const found = code.length <= 64 ? await this.verification.byCode(normalizeVerificationCode(code)) : null;
    if (!found) return NOT_VERIFIED;
    return {
      valid: found.status === 'ISSUED',
      status: found.status,
      learnerName: found.learner_name,
      courseTitle: found.course_title,
      tenantName: found.tenant_name,
      issuedAt: found.issued_at,
      revokedAt: found.revoked_at,
      revocationReason: found.revocation_reason,
      competencyStandardCode: found.competency_standard_code,
      conocerStatus: found.conocer_status,
    };
  }

  /** ISSUED -> REVOKED with a reason of 1 to 500 characters; CONFLICT when it was revoked already. */
  async revoke(id: string, reason: string, viewer: Viewer): Promise<Certificate> {
    const why = reason.trim();
    if (why.length === 0 || why.length > 500)
      throw new BadUserInputError('A revocation needs a reason of 1 to 500 characters', [
        { field: 'reason', message: 'must be 1 to 500 characters' },
      ]);
    const certificate = await this.load(id);
    if (!certificate) throw new NotFoundError('Certificate');
    const revoked = await this.certificates.revoke(certificate.id, {
      reason: why,
      at: new Date(),
      // A platform admin of another tenant is not a user of this one.
      revokedById: viewer.tenantId === this.tenant.id ? viewer.userId : null,
      actorId: viewer.userId,
      actorPersona: viewer.persona,
    });
    if (!revoked) throw new ConflictError('The certificate is already revoked');
    return revoked;
  }
}
