import {
  encodeCursor,
  isUuid,
  newestFirstAfter,
  NotFoundError,
  pageSize,
  type Dc3,
  type EnrollmentStatus,
  type Prisma,
  type TenantScope,
} from '@academy/platform';

/** What the platform knows that a DC-3 prints, read in one transaction. */
export interface Dc3Facts {
  enrollment: { id: string; status: EnrollmentStatus; learnerId: string; courseId: string; enrolledAt: Date; completedAt: Date | null };
  learner: { name: string; curp: string | null };
  course: { title: string; instructorName: string; lessonMinutes: number };
  /** tenants.settings as stored (JSON; read through dc3/dc3-facts.ts). */
  tenantSettings: unknown;
  /** The enrollment's DC-3 when it has one (a re-issue keeps its id). */
  existingId: string | null;
}

/** The row of an issue: the snapshot, its PDF and who issued it. */
export type Dc3Snapshot = Omit<Dc3, 'tenantId' | 'updatedAt'>;

/** DC-3s of one tenant. */
export class Dc3Repository {
  constructor(private readonly db: TenantScope) {}

  /** DC-3s per enrollment id (Enrollment.dc3). */
  async ofEnrollments(enrollmentIds: readonly string[]): Promise<Map<string, Dc3>> {
    const rows = await this.db.byIds(enrollmentIds, (tx, valid) =>
      tx.dc3.findMany({ where: { tenantId: this.db.tenantId, enrollmentId: { in: valid } } }),
    );
    return new Map(rows.map((row) => [row.enrollmentId, row]));
  }

  /** The learner of each enrollment id (who sees its DC-3). */
  async learnersOfEnrollments(enrollmentIds: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.db.byIds(enrollmentIds, (tx, valid) =>
      tx.enrollment.findMany({ where: { tenantId: this.db.tenantId, id: { in: valid } }, select: { id: true, learnerId: true } }),
    );
    return new Map(rows.map((row) => [row.id, row.learnerId]));
  }

  /** Newest issued first; `after` is the id of the last DC-3 seen (NOT_FOUND when there is none of the tenant's). */
  list(args: { first?: number | null; after?: string | null; learnerId?: string | null }): Promise<Dc3[]> {
    const size = pageSize(args.first);
    // Nobody has an id that is not a UUID: nothing to list.
    if (args.learnerId && !isUuid(args.learnerId)) return Promise.resolve([]);
    return this.db.run(async (tx) => {
      const scope: Prisma.Dc3WhereInput = { tenantId: this.db.tenantId, ...(args.learnerId ? { learnerId: args.learnerId } : {}) };
      let after = {};
      if (args.after !== null && args.after !== undefined) {
        const last = isUuid(args.after) ? await tx.dc3.findFirst({ where: { ...scope, id: args.after } }) : null;
        if (!last) throw new NotFoundError('DC-3 (after)');
        after = newestFirstAfter('issuedAt', encodeCursor([last.issuedAt.toISOString(), last.id]));
      }
      return tx.dc3.findMany({ where: { AND: [scope, after] }, orderBy: [{ issuedAt: 'desc' }, { id: 'desc' }], take: size });
    });
  }

  async facts(enrollmentId: string): Promise<Dc3Facts | null> {
    if (!isUuid(enrollmentId)) return null;
    const tenantId = this.db.tenantId;
    return this.db.run(async (tx) => {
      const enrollment = await tx.enrollment.findFirst({
        where: { tenantId, id: enrollmentId },
        select: {
          id: true,
          status: true,
          learnerId: true,
          courseId: true,
          enrolledAt: true,
          completedAt: true,
          learner: { select: { name: true, curp: true } },
          course: { select: { title: true, instructor: { select: { name: true } } } },
          dc3: { select: { id: true } },
        },
      });
      if (!enrollment) return null;
      const minutes = await tx.lesson.aggregate({ where: { tenantId, courseId: enrollment.courseId }, _sum: { durationMinutes: true } });
      const tenant = await tx.tenant.findUnique({ where: { id: tenantId }, select: { settings: true } });
      const { learner, course, dc3, ...rest } = enrollment;
      return {
        enrollment: rest,
        learner,
        course: { title: course.title, instructorName: course.instructor.name, lessonMinutes: minutes._sum.durationMinutes ?? 0 },
        tenantSettings: tenant?.settings ?? {},
        existingId: dc3?.id ?? null,
      };
    });
  }

  /** Writes the enrollment's DC-3 (a new one, or the one it has, replaced) and its audit row, in one transaction. */
  save(snapshot: Dc3Snapshot, actor: { persona: Prisma.AuditLogCreateInput['actorPersona'] }): Promise<Dc3> {
    const tenantId = this.db.tenantId;
    const { id, enrollmentId, ...facts } = snapshot;
    return this.db.run(async (tx) => {
      const existing = await tx.dc3.findUnique({ where: { tenantId_enrollmentId: { tenantId, enrollmentId } }, select: { id: true } });
      const saved = existing
        ? await tx.dc3.update({ where: { id: existing.id }, data: facts })
        : await tx.dc3.create({ data: { id, tenantId, enrollmentId, ...facts } });
      await tx.auditLog.create({
        data: {
          tenantId,
          actorId: snapshot.issuedById,
          actorPersona: actor.persona ?? null,
          action: existing ? 'dc3.reissue' : 'dc3.issue',
          targetType: 'Dc3',
          targetId: saved.id,
          metadata: { enrollmentId, pdfStorageKey: snapshot.pdfStorageKey },
        },
      });
      return saved;
    });
  }
}
