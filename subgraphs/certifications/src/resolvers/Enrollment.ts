import type { EnrollmentResolvers } from '../generated/resolvers-types';

export const Enrollment: EnrollmentResolvers = {
  // The courses subgraph answers whether the enrollment exists and who sees it; here it is only its id.
  __resolveReference: (reference) => ({ id: reference.id }),
  // Who may see it is checked by graphql-shield (permissions.ts) with the same loader.
  dc3: (enrollment, _args, { loaders }) => loaders.dc3OfEnrollment.load(enrollment.id),
};
