import type { CertificateStatus, ConocerStatus, Database } from '@academy/platform';

export interface VerificationRow {
  status: CertificateStatus;
  learner_name: string;
  course_title: string;
  tenant_name: string;
  issued_at: Date;
  revoked_at: Date | null;
  revocation_reason: string | null;
  competency_standard_code: string | null;
  conocer_status: ConocerStatus;
}

/** Public verification by code, across tenants, through the narrow app_verify_certificate function. */
export class VerificationRepository {
  constructor(private readonly database: Database) {}

  async byCode(code: string): Promise<VerificationRow | null> {
    const rows = await this.database.prisma.$queryRaw<VerificationRow[]>`SELECT * FROM app_verify_certificate(${code})`;
    return rows[0] ?? null;
  }
}
