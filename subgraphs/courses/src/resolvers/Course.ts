import type { CourseResolvers } from '../generated/resolvers-types';

export const Course: CourseResolvers = {
  // Other subgraphs reference courses their own rules let the viewer see (a certificate of an
  // archived course still shows its title).
  __resolveReference: (reference, { loaders }) => loaders.course.load(reference.id),
  instructor: (course) => ({ id: course.instructorId }),
  modules: (course, _args, { loaders }) => loaders.modules.load(course.id),
  enrollmentCount: (course, _args, { loaders }) => loaders.enrollmentCount.load(course.id),
  assessment: (course, _args, { loaders }) => loaders.assessment.load(course.id),
  rating: (course, _args, { loaders }) => loaders.rating.load(course.id),
  durationMinutes: async (course, _args, { loaders }) =>
    (await loaders.modules.load(course.id)).reduce(
      (sum, module) => sum + module.lessons.reduce((n, lesson) => n + lesson.durationMinutes, 0),
      0,
    ),
  viewerEnrollment: (course, _args, { loaders }) => loaders.viewerEnrollment.load(course.id),
  reviews: (course, args, { reviews }) => reviews.page(course.id, args),
  // Its instructor, staff (enrollments) and admins (analytics): graphql-shield checks before these run.
  enrollments: (course, args, { analytics }) => analytics.courses.learners(course.id, args),
  analytics: (course) => ({ course }),
};
