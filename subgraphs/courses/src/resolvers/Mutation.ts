import type { MutationResolvers } from '../generated/resolvers-types';

// Permissions (persona, ownership) are checked by graphql-shield before these run.
export const Mutation: MutationResolvers = {
  createCourse: (_parent, { input }, { catalogue, viewer }) => catalogue.create(viewer!, input),
  publishCourse: async (_parent, { id }, { catalogue, loaders }) => catalogue.publish((await loaders.course.load(id))!),
  enroll: (_parent, { courseId, requestConocerCertification }, { learning, viewer }) =>
    learning.enroll(courseId, viewer!.userId, requestConocerCertification ?? false),
  completeLesson: async (_parent, { enrollmentId, lessonId }, { learning, loaders }) =>
    learning.completeLesson((await loaders.enrollment.load(enrollmentId))!, lessonId),
  submitFinalAssessment: async (_parent, { enrollmentId, score }, { learning, loaders }) =>
    learning.submitFinalAssessment((await loaders.enrollment.load(enrollmentId))!, score),
};
