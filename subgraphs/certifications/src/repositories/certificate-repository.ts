import { certificateRevoked } from '@academy/events';
import { isUuid, type Certificate, type CertificateStatus, type Prisma, type TenantScope } from '@academy/platform';

/** What a certificate's PDF prints of its learner and course. */
export interface CertificatePrintFacts {
  learnerName: string;
  courseTitle: string;
  standard: { code: string; title: string | null } | null;
}

/** The academy on the PDF: its name, its settings (display name, colour, time zone) and its logo file, if READY. */
export interface AcademyPrintFacts {
  name: string;
  settings: Prisma.JsonValue;
  logo: { storageKey: string; contentType: string } | null;
}

/** Certificates of one tenant. */
export class CertificateRepository {
  constructor(private readonly db: TenantScope) {}

  findByIds(ids: readonly string[]): Promise<Certificate[]> {
    return this.db.rows('Certificate', 'id', ids);
  }

  /**
   * Certificates per learner id, newest first, with their courses' titles (Certificate.course
   * provides the title), in one statement.
   */
  async ofLearners(learnerIds: readonly string[]): Promise<{ byLearner: Map<string, Certificate[]>; courseTitles: Map<string, string> }> {
    const ids = [...new Set(learnerIds.filter(isUuid))];
    const found =
      ids.length === 0
        ? []
        : await this.db.sql<{ certificate: Record<string, unknown>; courseTitle: string }>(
            `SELECT to_jsonb(t) AS certificate, c.title AS "courseTitle"
               FROM certificates t JOIN courses c ON c.tenant_id = t.tenant_id AND c.id = t.course_id
              WHERE t.tenant_id = $1 AND t.learner_id = ANY($2)
              ORDER BY t.issued_at DESC, t.id DESC`,
            [this.db.tenantId, ids],
          );
    const byLearner = new Map<string, Certificate[]>();
    const courseTitles = new Map<string, string>();
    for (const row of found) {
      const certificate = this.db.fromJson('Certificate', row.certificate);
      byLearner.set(certificate.learnerId, [...(byLearner.get(certificate.learnerId) ?? []), certificate]);
      courseTitles.set(certificate.courseId, row.courseTitle);
    }
    return { byLearner, courseTitles };
  }

  /** Course titles by course id (Certificate.course provides its title: no request to the courses subgraph). */
  async courseTitles(courseIds: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.db.sql<{ id: string; title: string }>(
      'SELECT id::text AS id, title FROM courses WHERE tenant_id = $1 AND id = ANY($2::uuid[])',
      [this.db.tenantId, courseIds.filter(isUuid)],
    );
    return new Map(rows.map((row) => [row.id, row.title]));
  }

  /** Issued (not revoked) certificates per course id. */
  async countsByCourse(courseIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.db.sql<{ courseId: string; count: number }>(
      `SELECT course_id AS "courseId", count(*)::integer AS count FROM certificates
        WHERE tenant_id = $1 AND course_id = ANY($2) AND status = 'ISSUED' GROUP BY course_id`,
      [this.db.tenantId, courseIds.filter(isUuid)],
    );
    return new Map(rows.map((row) => [row.courseId, row.count]));
  }

  /** Certificates issued in [from, to) and not revoked (tenant analytics; as countsByCourse counts them). */
  issuedBetween(from: Date, to: Date): Promise<number> {
    return this.db.query((tx) =>
      tx.certificate.count({ where: { tenantId: this.db.tenantId, status: 'ISSUED', issuedAt: { gte: from, lt: to } } }),
    );
  }

  /** What the certificates' PDFs print (learner, course, EC standard) and the academy's branding, in one transaction. */
  async printFacts(ids: readonly string[]): Promise<{ certificates: Map<string, CertificatePrintFacts>; academy: AcademyPrintFacts }> {
    const tenantId = this.db.tenantId;
    return this.db.run(async (tx) => {
      const rows = await tx.certificate.findMany({
        where: { tenantId, id: { in: ids.filter(isUuid) } },
        select: {
          id: true,
          learner: { select: { name: true } },
          course: { select: { title: true, competencyStandardCode: true, competencyStandard: { select: { title: true } } } },
        },
      });
      const tenant = await tx.tenant.findUniqueOrThrow({
        where: { id: tenantId },
        select: { name: true, settings: true, logoFileId: true },
      });
      const logo = tenant.logoFileId
        ? await tx.file.findFirst({
            where: { tenantId, id: tenant.logoFileId, purpose: 'TENANT_LOGO', status: 'READY' },
            select: { storageKey: true, contentType: true },
          })
        : null;
      return {
        certificates: new Map(
          rows.map((row) => [
            row.id,
            {
              learnerName: row.learner.name,
              courseTitle: row.course.title,
              standard: row.course.competencyStandardCode
                ? { code: row.course.competencyStandardCode, title: row.course.competencyStandard?.title ?? null }
                : null,
            },
          ]),
        ),
        academy: { name: tenant.name, settings: tenant.settings, logo },
      };
    });
  }

  /**
   * Records the stored PDF of each certificate, only while the certificate still has the status the
   * PDF shows (a revocation meanwhile wins: its PDF is made by the next request). The ids recorded.
   */
  async recordPdfs(made: readonly { id: string; status: CertificateStatus; storageKey: string }[]): Promise<Set<string>> {
    if (made.length === 0) return new Set();
    const tenantId = this.db.tenantId;
    return this.db.run(async (tx) => {
      const recorded = new Set<string>();
      for (const pdf of made) {
        const { count } = await tx.certificate.updateMany({
          where: { id: pdf.id, tenantId, status: pdf.status },
          data: { pdfStorageKey: pdf.storageKey, pdfStatus: pdf.status },
        });
        if (count > 0) recorded.add(pdf.id);
      }
      return recorded;
    });
  }

  courseInstructor(courseId: string): Promise<string | null> {
    return this.db.run(
      async (tx) => (await tx.course.findUnique({ where: { id: courseId }, select: { instructorId: true } }))?.instructorId ?? null,
    );
  }

  /** ISSUED -> REVOKED with the reason, an outbox event and an audit row; null when it was not ISSUED. */
  revoke(
    id: string,
    change: {
      reason: string;
      at: Date;
      revokedById: string | null;
      actorId: string;
      actorPersona: Prisma.AuditLogCreateInput['actorPersona'];
    },
  ): Promise<Certificate | null> {
    const tenantId = this.db.tenantId;
    return this.db.run(async (tx) => {
      const { count } = await tx.certificate.updateMany({
        where: { id, tenantId, status: 'ISSUED' },
        data: { status: 'REVOKED', revokedAt: change.at, revocationReason: change.reason, revokedById: change.revokedById },
      });
      if (count === 0) return null;
      const certificate = await tx.certificate.findUniqueOrThrow({ where: { id } });
      await certificateRevoked.write(tx, {
        tenantId,
        aggregateId: id,
        payload: {
          certificateId: id,
          learnerId: certificate.learnerId,
          courseId: certificate.courseId,
          reason: change.reason,
          revokedAt: change.at.toISOString(),
        },
      });
      await tx.auditLog.create({
        data: {
          tenantId,
          actorId: change.actorId,
          actorPersona: change.actorPersona ?? null,
          action: 'certificate.revoke',
          targetType: 'Certificate',
          targetId: id,
          reason: change.reason,
        },
      });
      return certificate;
    });
  }
}
