import { isSelfOrStaff } from '@academy/permissions';
import type { ConocerSubmissionResolvers } from '../generated/resolvers-types';

export const ConocerSubmission: ConocerSubmissionResolvers = {
  __resolveReference: async (reference, { loaders, viewer }) => {
    const submission = await loaders.submission.load(reference.id);
    return submission && isSelfOrStaff(viewer, submission.requestedById) ? submission : null;
  },
  certificate: (submission) => ({ id: submission.certificateId }),
  standard: async (submission, _args, { loaders }) => (await loaders.standard.load(submission.standardCode))!,
  history: (submission, _args, { loaders }) => loaders.history.load(submission.id),
};
