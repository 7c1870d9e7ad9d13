import { certificateRevoked } from '@academy/events';
import { isUuid, type Certificate, type Prisma, type TenantScope } from '@academy/platform';

/** Certificates of one tenant. */
export class CertificateRepository {
  constructor(private readonly db: TenantScope) {}

  findByIds(ids: readonly string[]): Promise<Certificate[]> {
    return this.db.byIds(ids, (tx, valid) => tx.certificate.findMany({ where: { tenantId: this.db.tenantId, id: { in: valid } } }));
  }

  /** Certificates per learner id, newest first. */
  async ofLearners(learnerIds: readonly string[]): Promise<Map<string, Certificate[]>> {
    const rows = await this.db.run((tx) =>
      tx.certificate.findMany({
        where: { tenantId: this.db.tenantId, learnerId: { in: learnerIds.filter(isUuid) } },
        orderBy: [{ issuedAt: 'desc' }, { id: 'desc' }],
      }),
    );
    const byLearner = new Map<string, Certificate[]>();
    for (const row of rows) byLearner.set(row.learnerId, [...(byLearner.get(row.learnerId) ?? []), row]);
    return byLearner;
  }

  /** Issued (not revoked) certificates per course id. */
  async countsByCourse(courseIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.db.run((tx) =>
      tx.certificate.groupBy({
        by: ['courseId'],
        where: { tenantId: this.db.tenantId, courseId: { in: courseIds.filter(isUuid) }, status: 'ISSUED' },
        _count: { _all: true },
      }),
    );
    return new Map(rows.map((row) => [row.courseId, row._count._all]));
  }

  /** Certificates issued in [from, to) and not revoked (tenant analytics; as countsByCourse counts them). */
  issuedBetween(from: Date, to: Date): Promise<number> {
    return this.db.run((tx) =>
      tx.certificate.count({ where: { tenantId: this.db.tenantId, status: 'ISSUED', issuedAt: { gte: from, lt: to } } }),
    );
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
