import type { CourseResolvers } from '../generated/resolvers-types';

export const Course: CourseResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  certificateCount: (course, _args, { loaders }) => loaders.certificateCount.load(course.id),
};
