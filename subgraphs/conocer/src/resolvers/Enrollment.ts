import { isSelfOrStaff } from '@academy/permissions';
import type { EnrollmentResolvers } from '../generated/resolvers-types';

export const Enrollment: EnrollmentResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  // Its learner and staff, as portfolio(id); null for anyone else (the courses subgraph decides who sees the enrollment).
  portfolio: async (enrollment, _args, { loaders, viewer }) => {
    const portfolio = await loaders.portfolio.load(enrollment.id);
    return portfolio && isSelfOrStaff(viewer, portfolio.learnerId) ? portfolio : null;
  },
};
