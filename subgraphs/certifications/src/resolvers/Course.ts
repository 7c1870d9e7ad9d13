import { NotFoundError } from '@academy/platform';
import type { CourseResolvers } from '../generated/resolvers-types';

export const Course: CourseResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  certificateCount: (course, _args, { loaders }) => loaders.certificateCount.load(course.id),
  // Only at Certificate.course (schema.graphql's @provides): the certificate's own course.
  title: async (course, _args, { loaders }) => {
    const title = await loaders.courseTitle.load(course.id);
    if (title === null) throw new NotFoundError('Course');
    return title;
  },
};
