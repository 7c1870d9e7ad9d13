import { isSelfOrStaff } from '@academy/permissions';
import type { CertificateResolvers } from '../generated/resolvers-types';

export const Certificate: CertificateResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  conocerStatus: async (certificate, _args, { loaders }) =>
    (await loaders.submissionOfCertificate.load(certificate.id))?.status ?? 'NOT_REQUESTED',
  // The submission itself is its learner's and staff's, as when the gateway resolves it on its own (ConocerSubmission).
  conocerSubmission: async (certificate, _args, { loaders, viewer }) => {
    const submission = await loaders.submissionOfCertificate.load(certificate.id);
    return submission && isSelfOrStaff(viewer, submission.requestedById) ? submission : null;
  },
};
