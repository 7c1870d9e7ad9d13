import { isSelfOrStaff } from '@academy/permissions';
import { verificationUrlOf } from '../certificates/certificate-documents';
import type { CertificateResolvers } from '../generated/resolvers-types';

export const Certificate: CertificateResolvers = {
  __resolveReference: async (reference, { loaders, viewer }) => {
    const certificate = await loaders.certificate.load(reference.id);
    return certificate && isSelfOrStaff(viewer, certificate.learnerId) ? certificate : null;
  },
  learner: (certificate) => ({ id: certificate.learnerId }),
  course: (certificate) => ({ id: certificate.courseId }),
  verificationUrl: (certificate, _args, { tenant, appUrl }) => verificationUrlOf(appUrl, tenant, certificate.verificationCode),
  pdfUrl: (certificate, _args, { documents }) => documents.pdfUrl(certificate),
};
