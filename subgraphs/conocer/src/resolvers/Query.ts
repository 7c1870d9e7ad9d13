import { isStaff } from '@academy/permissions';
import { NotFoundError, type ConocerStatusChange, type ConocerSubmission } from '@academy/platform';
import { syncStatus } from '../delivery/sync-status';
import type { QueryResolvers } from '../generated/resolvers-types';
import type { PortfolioModel } from '../portfolio/portfolio-view';

export const Query: QueryResolvers = {
  // Who may see it is checked by graphql-shield before this runs (the change and its submission exist).
  certificationStatusEvent: async (_parent, { id, certificateId }, { loaders }) => {
    const change = (await loaders.statusChange.load(id))!;
    const submission = (await loaders.submission.load(change.submissionId))!;
    if (certificateId && submission.certificateId !== certificateId) return null;
    return statusEvent(change, submission);
  },
  // The change given is one the viewer may see: checked by the permissions (seesStatusChange).
  certificationStatusEvents: async (_parent, { afterEventId, certificateId }, { loaders, submissions, viewer }) => {
    const after = (await loaders.statusChange.load(afterEventId))!;
    const changes = await submissions.statusChangesAfter(
      after,
      { learnerId: isStaff(viewer) ? null : viewer!.userId, certificateId: certificateId ?? null },
      REPLAY_LIMIT,
    );
    const ofChanges = await loaders.submission.loadMany(changes.map((change) => change.submissionId));
    return changes.map((change, i) => statusEvent(change, ofChanges[i] as ConocerSubmission));
  },
  competencyStandards: (_parent, args, { standards }) => standards.page(args),
  competencyStandard: async (_parent, { code }, { loaders }) =>
    (await loaders.standard.load(code.trim().toUpperCase())) ?? Promise.reject(new NotFoundError('Competency standard')),
  conocerSubmissions: (_parent, args, { submissions }) => submissions.list(args),
  conocerSyncStatus: (_parent, _args, context) => syncStatus(context),
  solarpunkCompliance: (_parent, { courseId }, { requests }) => requests.compliance(courseId),
  // Found and visible: checked by the permissions (they loaded it).
  portfolio: (_parent, { id }, { loaders }) => loaders.portfolio.load(id),
  portfoliosToReview: async (_parent, args, { evaluation, loaders, viewer }) => {
    const ids = await evaluation.toReview(viewer!, args);
    return (await loaders.portfolio.loadMany(ids)).filter(
      (portfolio): portfolio is PortfolioModel => !!portfolio && !(portfolio instanceof Error),
    );
  },
};

/** Most status changes one replay answers (a client far behind asks again from the last). */
const REPLAY_LIMIT = 100;

function statusEvent(change: ConocerStatusChange, submission: ConocerSubmission) {
  return {
    id: change.id,
    certificate: { id: submission.certificateId },
    submission,
    status: change.status,
    previousStatus: change.previousStatus,
    reason: change.reason,
    occurredAt: change.occurredAt,
  };
}
