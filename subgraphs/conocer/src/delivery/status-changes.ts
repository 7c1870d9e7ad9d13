import { conocerStatusChanged } from '@academy/events';
import type { ConocerStatus, ConocerSubmission, Tx } from '@academy/platform';

export interface StatusChange {
  status: ConocerStatus;
  reason?: string | null;
  folio?: string;
  rejectionReason?: string | null;
  failureReason?: string | null;
  attempts?: number;
}

/**
 * Moves a submission from the status it was read with to another, once: the update is
 * conditional on that status, so two workers (or a worker and an admin) cannot both move it.
 * The history row and the outbox event are written in the same transaction.
 * Returns null when the submission had already moved on.
 */
export async function changeStatus(
  tx: Tx,
  submission: ConocerSubmission,
  change: StatusChange,
  at = new Date(),
): Promise<ConocerSubmission | null> {
  const { count } = await tx.conocerSubmission.updateMany({
    where: { tenantId: submission.tenantId, id: submission.id, status: submission.status },
    data: {
      status: change.status,
      ...(change.folio !== undefined ? { folio: change.folio } : {}),
      ...(change.rejectionReason !== undefined ? { rejectionReason: change.rejectionReason } : {}),
      ...(change.failureReason !== undefined ? { failureReason: change.failureReason } : {}),
      ...(change.attempts !== undefined ? { attempts: change.attempts } : {}),
    },
  });
  if (count === 0) return null;
  const history = await tx.conocerStatusChange.create({
    data: {
      tenantId: submission.tenantId,
      submissionId: submission.id,
      status: change.status,
      previousStatus: submission.status,
      reason: change.reason ?? null,
      occurredAt: at,
    },
  });
  await conocerStatusChanged.write(tx, {
    tenantId: submission.tenantId,
    aggregateId: submission.id,
    payload: {
      tenantId: submission.tenantId,
      changeId: history.id,
      submissionId: submission.id,
      certificateId: submission.certificateId,
      learnerId: submission.requestedById,
      status: change.status,
      previousStatus: submission.status,
    },
  });
  return tx.conocerSubmission.findUniqueOrThrow({ where: { id: submission.id } });
}
