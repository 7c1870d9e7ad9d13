import { NotFoundError } from '@academy/platform';
import { syncStatus } from '../delivery/sync-status';
import type { QueryResolvers } from '../generated/resolvers-types';
import type { PortfolioModel } from '../portfolio/portfolio-view';

export const Query: QueryResolvers = {
  // Who may see it is checked by graphql-shield before this runs (the change and its submission exist).
  certificationStatusEvent: async (_parent, { id, certificateId }, { loaders }) => {
    const change = (await loaders.statusChange.load(id))!;
    const submission = (await loaders.submission.load(change.submissionId))!;
    if (certificateId && submission.certificateId !== certificateId) return null;
    return {
      certificate: { id: submission.certificateId },
      submission,
      status: change.status,
      previousStatus: change.previousStatus,
      reason: change.reason,
      occurredAt: change.occurredAt,
    };
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
