import { NotFoundError } from '@academy/platform';
import type { MutationResolvers } from '../generated/resolvers-types';
import type { SubgraphContext } from '../context';

/** A course as it is after an edit of its structure. */
const courseNow = async (courseId: string, { courses }: SubgraphContext) => (await courses.findByIds([courseId]))[0]!;
/** A module with its lessons, as CourseModule answers it. */
const moduleNow = async (courseId: string, moduleId: string, { courses }: SubgraphContext) =>
  ((await courses.modulesOf([courseId])).get(courseId) ?? []).find((module) => module.id === moduleId)!;
const moduleOf = async (id: string, { structure }: SubgraphContext) =>
  (await structure.findModule(id)) ?? Promise.reject(new NotFoundError('Module'));
const lessonOf = async (id: string, { structure }: SubgraphContext) =>
  (await structure.findLesson(id)) ?? Promise.reject(new NotFoundError('Lesson'));

// Permissions (persona, ownership) are checked by graphql-shield before these run.
export const Mutation: MutationResolvers = {
  createCourse: (_parent, { input }, { catalogue, viewer }) => catalogue.create(viewer!, input),
  publishCourse: async (_parent, { id }, { authoring, loaders }) => authoring.publish((await loaders.course.load(id))!),
  enroll: (_parent, { courseId, requestConocerCertification }, { learning, viewer }) =>
    learning.enroll(courseId, viewer!.userId, requestConocerCertification ?? false),
  completeLesson: async (_parent, { enrollmentId, lessonId }, { learning, loaders }) =>
    learning.completeLesson((await loaders.enrollment.load(enrollmentId))!, lessonId),
  submitFinalAssessment: async (_parent, { enrollmentId, score }, { learning, loaders, viewer }) =>
    learning.submitFinalAssessment((await loaders.enrollment.load(enrollmentId))!, score, viewer!),
  updateCourse: async (_parent, { id, input }, { authoring, loaders }) => authoring.update((await loaders.course.load(id))!, input),
  archiveCourse: async (_parent, { id }, { authoring, loaders }) => authoring.archive((await loaders.course.load(id))!),
  addModule: async (_parent, { courseId, input, position }, context) => {
    const module = await context.authoring.addModule(courseId, input.title, position);
    return moduleNow(courseId, module.id, context);
  },
  updateModule: async (_parent, { id, input }, context) => {
    const module = await context.authoring.updateModule(await moduleOf(id, context), input.title);
    return moduleNow(module.courseId, module.id, context);
  },
  moveModule: async (_parent, { id, position }, context) =>
    courseNow(await context.authoring.moveModule(await moduleOf(id, context), position), context),
  removeModule: async (_parent, { id }, context) => courseNow(await context.authoring.removeModule(await moduleOf(id, context)), context),
  addLesson: async (_parent, { moduleId, input, position }, context) =>
    context.authoring.addLesson(await moduleOf(moduleId, context), input, position),
  updateLesson: async (_parent, { id, input }, context) => context.authoring.updateLesson(await lessonOf(id, context), input),
  moveLesson: async (_parent, { id, moduleId, position }, context) =>
    courseNow(await context.authoring.moveLesson(await lessonOf(id, context), position, moduleId), context),
  setCourseAssessment: async (_parent, { courseId, input }, { assessments, loaders }) =>
    assessments.set((await loaders.course.load(courseId))!, input),
  // What a change leaves different, a later answer of the same request reads again.
  startAssessmentAttempt: async (_parent, { enrollmentId }, { assessments, loaders }) => {
    const attempt = await assessments.start((await loaders.enrollment.load(enrollmentId))!);
    loaders.attempts.clear(enrollmentId);
    return attempt;
  },
  submitAssessmentAttempt: async (_parent, { attemptId, answers }, { assessments, loaders }) => {
    const attempt = (await loaders.attempt.load(attemptId))!;
    const submitted = await assessments.submit(attempt, answers);
    loaders.attempt.clear(attemptId);
    loaders.attempts.clear(attempt.enrollmentId);
    return submitted;
  },
  removeLesson: async (_parent, { id }, context) => courseNow(await context.authoring.removeLesson(await lessonOf(id, context)), context),
  reviewCourse: async (_parent, { courseId, rating, comment }, { loaders, reviews, viewer }) => {
    const review = await reviews.review(courseId, viewer!, { rating, comment });
    loaders.rating.clear(courseId);
    return review;
  },
  deleteCourseReview: async (_parent, { id }, { loaders, reviews, viewer }) => {
    const deleted = await reviews.delete(id, viewer!);
    loaders.rating.clearAll();
    return deleted;
  },
};
