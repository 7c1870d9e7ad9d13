import { ConflictError, NotFoundError } from '@academy/platform';
import type { MutationResolvers } from '../generated/resolvers-types';
import { syncStatus } from './sync-status';

export const Mutation: MutationResolvers = {
  requestConocerCertification: (_parent, { certificateId }, { requests, viewer }) => requests.request(certificateId, viewer!),
  retryConocerSubmission: async (_parent, { id }, { submissions, loaders, viewer }) => {
    const submission = await loaders.submission.load(id);
    if (!submission) throw new NotFoundError('Submission');
    const retried = submission.status === 'FAILED' ? await submissions.retry(submission, { id: viewer!.userId, persona: viewer!.persona }) : null;
    if (!retried) throw new ConflictError(`Only FAILED submissions are retried (this one is ${submission.status})`);
    return retried;
  },
  syncCompetencyStandards: async (_parent, _args, context) => {
    await context.standardsSync.syncNow(context.viewer!.userId);
    return syncStatus(context);
  },
};
