import type { LessonResolvers } from '../generated/resolvers-types';
import { seesLessonBody } from '../learning/lesson-access';

export const Lesson: LessonResolvers = {
  // The catalogue shows a course's outline to everyone; what a lesson teaches only to whom it is for.
  body: async (lesson, _args, { loaders, viewer }) =>
    seesLessonBody(viewer, await loaders.course.load(lesson.courseId), await loaders.viewerEnrollment.load(lesson.courseId))
      ? lesson.body
      : null,
  attachments: (lesson) => lesson.attachmentFileIds.map((id) => ({ id })),
};
