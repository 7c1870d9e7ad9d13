import { meOf } from '@academy/platform';
import type { QueryResolvers } from '../generated/resolvers-types';

export const Query: QueryResolvers = {
  // The signed-in person, so that `me { <fields of this subgraph> }` needs no users request first.
  me: (_parent, _args, { viewer }) => meOf(viewer),
  courses: (_parent, args, { courses, viewer }) => courses.page(args, viewer),
  course: (_parent, { id, slug }, { catalogue, viewer }) => catalogue.find({ id, slug }, viewer),
  // Who may see it is checked by graphql-shield before this runs.
  enrollment: async (_parent, { id }, { loaders }) => (await loaders.enrollment.load(id))!,
  assessmentAttempt: async (_parent, { id }, { loaders }) => (await loaders.attempt.load(id))!,
  myCourseReview: (_parent, { courseId }, { reviews, viewer }) => reviews.mine(courseId, viewer!),
  tenantAnalytics: (_parent, { period }, { analytics }) => analytics.tenant.report(period ?? 'MONTH'),
};
