import { seesCourse } from '@academy/permissions';
import type { UserResolvers } from '../generated/resolvers-types';

export const User: UserResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  enrollments: (user, { status }, { loaders }) => loaders.enrollmentsOfLearner.load({ learnerId: user.id, status: status ?? null }),
  coursesTaught: async (user, _args, { loaders, viewer }) =>
    (await loaders.coursesTaughtBy.load(user.id)).filter((course) => seesCourse(viewer, course)),
};
