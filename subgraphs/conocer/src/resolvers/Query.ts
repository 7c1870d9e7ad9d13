import { isStaff } from '@academy/permissions';
import { NotFoundError, type ConocerStatusChange, type ConocerSubmission } from '@academy/platform';
import { syncStatus } from '../delivery/sync-status';
import type { QueryResolvers } from '../generated/resolvers-types';
import type { PortfolioModel } from '../portfolio/portfolio-view';
import type { StatusChangesFrom } from '../repositories/submission-repository';
import type { SubgraphContext } from '../context';

export const Query: QueryResolvers = {
  // Who may see it is checked by graphql-shield before this runs (the change and its submission exist).
  certificationStatusEvent: async (_parent, { id, certificateId }, { loaders }) => {
    const change = (await loaders.statusChange.load(id))!;
    const submission = (await loaders.submission.load(change.submissionId))!;
    if (certificateId && submission.certificateId !== certificateId) return null;
    return statusEvent(change, submission);
  },
  // The change given is one the viewer may see: checked by the permissions (seesStatusChange).
  certificationStatusEvents: async (_parent, { afterEventId, certificateId }, context) =>
    statusEvents({ after: (await context.loaders.statusChange.load(afterEventId))! }, certificateId, context),
  // Signed in (permissions); only the viewer's own changes, or the tenant's for staff.
  certificationStatusEventsSince: (_parent, { since, certificateId }, context) =>
    statusEvents({ since: new Date(since) }, certificateId, context),
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

/** The status changes after one or from a time on that the viewer may see, oldest first, as events. */
async function statusEvents(
  from: StatusChangesFrom,
  certificateId: string | null | undefined,
  { loaders, submissions, viewer }: SubgraphContext,
) {
  const changes = await submissions.statusChanges(
    from,
    { learnerId: isStaff(viewer) ? null : viewer!.userId, certificateId: certificateId ?? null },
    REPLAY_LIMIT,
  );
  const ofChanges = await loaders.submission.loadMany(changes.map((change) => change.submissionId));
  return changes.map((change, i) => statusEvent(change, ofChanges[i] as ConocerSubmission));
}

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
