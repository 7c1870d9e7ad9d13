import type { CourseResolvers } from '../generated/resolvers-types';

export const Course: CourseResolvers = {
  // Other subgraphs reference courses their own rules let the viewer see (a certificate of an
  // archived course still shows its title).
  __resolveReference: (reference, { loaders }) => loaders.course.load(reference.id),
  instructor: (course) => ({ id: course.instructorId }),
  modules: (course, _args, { loaders }) => loaders.modules.load(course.id),
  enrollmentCount: (course, _args, { loaders }) => loaders.enrollmentCount.load(course.id),
  assessment: (course, _args, { loaders }) => loaders.assessment.load(course.id),
};
