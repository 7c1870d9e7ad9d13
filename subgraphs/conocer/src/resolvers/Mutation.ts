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
};
