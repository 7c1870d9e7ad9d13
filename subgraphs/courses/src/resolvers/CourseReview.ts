import type { CourseReviewResolvers } from '../generated/resolvers-types';

export const CourseReview: CourseReviewResolvers = {
  course: async (review, _args, { loaders }) => (await loaders.course.load(review.courseId))!,
  author: (review) => ({ id: review.authorId }),
};
