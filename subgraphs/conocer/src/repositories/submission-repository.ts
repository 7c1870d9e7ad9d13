import { conocerSubmissionRequested } from '@academy/events';
import {
  isUuid,
  NotFoundError,
  pageSize,
  type ConocerStatus,
  type ConocerStatusChange,
  type ConocerSubmission,
  type Persona,
  type TenantScope,
} from '@academy/platform';
import { changeStatus } from '../delivery/status-changes';

/** Where a list of status changes starts: after a change, or at a time. */
export type StatusChangesFrom = { after: ConocerStatusChange } | { since: Date };

/** CONOCER submissions of one tenant and their status history. */
export class SubmissionRepository {
  constructor(private readonly db: TenantScope) {}

  findByIds(ids: readonly string[]): Promise<ConocerSubmission[]> {
    return this.db.rows('ConocerSubmission', 'id', ids);
  }

  /** The submission of each certificate that has one. */
  async ofCertificates(certificateIds: readonly string[]): Promise<Map<string, ConocerSubmission>> {
    const rows = await this.db.rows('ConocerSubmission', 'certificateId', certificateIds);
    return new Map(rows.map((row) => [row.certificateId, row]));
  }

  statusChangesByIds(ids: readonly string[]): Promise<ConocerStatusChange[]> {
    return this.db.rows('ConocerStatusChange', 'id', ids);
  }

  /**
   * The changes after one (by time, then id) or from a time on, oldest first: of the
   * certificate's submission when `certificateId` is given, of the learner's submissions when
   * `learnerId` is (null: all).
   */
  statusChanges(
    from: StatusChangesFrom,
    scope: { learnerId: string | null; certificateId: string | null },
    limit: number,
  ): Promise<ConocerStatusChange[]> {
    if (scope.certificateId !== null && !isUuid(scope.certificateId)) return Promise.resolve([]);
    return this.db.query((tx) =>
      tx.conocerStatusChange.findMany({
        where: {
          tenantId: this.db.tenantId,
          ...('after' in from
            ? { OR: [{ occurredAt: { gt: from.after.occurredAt } }, { occurredAt: from.after.occurredAt, id: { gt: from.after.id } }] }
            : { occurredAt: { gte: from.since } }),
          submission: {
            ...(scope.learnerId ? { requestedById: scope.learnerId } : {}),
            ...(scope.certificateId ? { certificateId: scope.certificateId } : {}),
          },
        },
        orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }],
        take: limit,
      }),
    );
  }

  /** Status history per submission id, oldest first. */
  async historyOf(submissionIds: readonly string[]): Promise<Map<string, ConocerStatusChange[]>> {
    const rows = await this.db.query((tx) =>
      tx.conocerStatusChange.findMany({
        where: { tenantId: this.db.tenantId, submissionId: { in: submissionIds.filter(isUuid) } },
        orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }],
      }),
    );
    const bySubmission = new Map<string, ConocerStatusChange[]>();
    for (const row of rows) bySubmission.set(row.submissionId, [...(bySubmission.get(row.submissionId) ?? []), row]);
    return bySubmission;
  }

  /** Newest first; `after` is the id of the last submission seen (the list has no cursors). */
  async list(args: { first?: number | null; after?: string | null; status?: ConocerStatus | null }): Promise<ConocerSubmission[]> {
    const size = pageSize(args.first);
    return this.db.run(async (tx) => {
      let before: { createdAt: Date; id: string } | null = null;
      if (args.after) {
        const last = isUuid(args.after)
          ? await tx.conocerSubmission.findFirst({ where: { tenantId: this.db.tenantId, id: args.after } })
          : null;
        if (!last) throw new NotFoundError('Submission (after)');
        before = last;
      }
      return tx.conocerSubmission.findMany({
        where: {
          tenantId: this.db.tenantId,
          ...(args.status ? { status: args.status } : {}),
          ...(before ? { OR: [{ createdAt: { lt: before.createdAt } }, { createdAt: before.createdAt, id: { lt: before.id } }] } : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: size,
      });
    });
  }

  async countByStatus(statuses: ConocerStatus[]): Promise<number> {
    return this.db.query((tx) => tx.conocerSubmission.count({ where: { tenantId: this.db.tenantId, status: { in: statuses } } }));
  }

  /** Submissions approved in [from, to): APPROVED now, their change to APPROVED in the range (tenant analytics). */
  approvedBetween(from: Date, to: Date): Promise<number> {
    return this.db.query((tx) =>
      tx.conocerSubmission.count({
        where: {
          tenantId: this.db.tenantId,
          status: 'APPROVED',
          history: { some: { status: 'APPROVED', occurredAt: { gte: from, lt: to } } },
        },
      }),
    );
  }

  /** A new PENDING submission (NOT_REQUESTED -> PENDING) and the outbox event that delivers it, in one transaction. */
  request(data: { certificateId: string; standardCode: string; requestedById: string }): Promise<ConocerSubmission> {
    const tenantId = this.db.tenantId;
    return this.db.run(async (tx) => {
      const created = await tx.conocerSubmission.create({ data: { tenantId, ...data, status: 'NOT_REQUESTED' } });
      const pending = (await changeStatus(tx, created, { status: 'PENDING' }))!;
      await conocerSubmissionRequested.write(tx, {
        tenantId,
        aggregateId: created.id,
        payload: { submissionId: created.id, certificateId: data.certificateId },
      });
      return pending;
    });
  }

  /** FAILED -> PENDING for another round of delivery; null when it was not FAILED. */
  retry(submission: ConocerSubmission, actor: { id: string; persona: Persona }): Promise<ConocerSubmission | null> {
    const tenantId = this.db.tenantId;
    return this.db.run(async (tx) => {
      const pending = await changeStatus(tx, submission, {
        status: 'PENDING',
        reason: `Retried by ${actor.persona}`,
        failureReason: null,
        attempts: 0,
      });
      if (!pending) return null;
      await conocerSubmissionRequested.write(tx, {
        tenantId,
        aggregateId: submission.id,
        payload: { submissionId: submission.id, retry: true },
      });
      await tx.auditLog.create({
        data: {
          tenantId,
          actorId: actor.id,
          actorPersona: actor.persona,
          action: 'conocer.submission.retry',
          targetType: 'ConocerSubmission',
          targetId: submission.id,
        },
      });
      return pending;
    });
  }
}
