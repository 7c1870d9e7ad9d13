import type { CertificateResolvers } from '../generated/resolvers-types';

export const Certificate: CertificateResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  conocerStatus: async (certificate, _args, { loaders }) => (await loaders.submissionOfCertificate.load(certificate.id))?.status ?? 'NOT_REQUESTED',
  conocerSubmission: (certificate, _args, { loaders }) => loaders.submissionOfCertificate.load(certificate.id),
};
