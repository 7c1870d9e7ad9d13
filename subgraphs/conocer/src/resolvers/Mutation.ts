import { syncStatus } from '../delivery/sync-status';
import type { MutationResolvers } from '../generated/resolvers-types';

export const Mutation: MutationResolvers = {
  requestConocerCertification: (_parent, { certificateId }, { requests, viewer }) => requests.request(certificateId, viewer!),
  retryConocerSubmission: async (_parent, { id }, { requests, loaders, viewer }) =>
    requests.retry(await loaders.submission.load(id), viewer!),
  syncCompetencyStandards: async (_parent, _args, context) => {
    await context.standardsSync.syncNow(context.viewer!.userId);
    return syncStatus(context);
  },
  // The course, enrollment, evidence and portfolio exist and the viewer may act on them: checked by the permissions.
  setEvaluationCriteria: (_parent, { courseId, criteria }, { evaluation }) => evaluation.setCriteria(courseId, criteria),
  submitEvidence: async (_parent, { enrollmentId, ...input }, { evaluation, loaders }) =>
    evaluation.submitEvidence((await loaders.portfolio.load(enrollmentId))!, input),
  reviewEvidence: async (_parent, { id, accept, comment }, { evaluation, loaders, viewer }) => {
    const evidence = (await loaders.evidence.load(id))!;
    return evaluation.review(evidence, (await loaders.portfolio.load(evidence.portfolioId))!, viewer!, { accept, comment });
  },
  judgePortfolio: async (_parent, { id, judgement, comment }, { evaluation, loaders, viewer }) =>
    evaluation.judge((await loaders.portfolio.load(id))!, viewer!, { judgement, comment }),
};
