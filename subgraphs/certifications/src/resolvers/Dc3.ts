import type { Dc3Resolvers } from '../generated/resolvers-types';
import { isoDate } from '../dc3/dc3-issuer';

export const Dc3: Dc3Resolvers = {
  enrollment: (dc3) => ({ id: dc3.enrollmentId }),
  startedOn: (dc3) => isoDate(dc3.startedOn),
  finishedOn: (dc3) => isoDate(dc3.finishedOn),
  pdfUrl: (dc3, _args, { dc3Issuer }) => dc3Issuer.pdfUrl(dc3),
};
