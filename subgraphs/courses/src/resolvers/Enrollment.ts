import { isSelfOrStaff } from '@academy/permissions';
import type { EnrollmentResolvers } from '../generated/resolvers-types';

export const Enrollment: EnrollmentResolvers = {
  __resolveReference: async (reference, { loaders, viewer }) => {
    const enrollment = await loaders.enrollment.load(reference.id);
    return enrollment && isSelfOrStaff(viewer, enrollment.learnerId) ? enrollment : null;
  },
  learner: (enrollment) => ({ id: enrollment.learnerId }),
  course: async (enrollment, _args, { loaders }) => (await loaders.course.load(enrollment.courseId))!,
  completedLessonIds: (enrollment, _args, { loaders }) => loaders.completedLessonIds.load(enrollment.id),
  attempts: (enrollment, _args, { loaders }) => loaders.attempts.load(enrollment.id),
  attemptsRemaining: async (enrollment, _args, { loaders, assessments }) =>
    assessments.remaining((await loaders.assessment.load(enrollment.courseId)) ?? undefined, await loaders.attempts.load(enrollment.id)),
  // Completed lessons over the course's lessons now (it follows the instructor's edits); a completed course stays at 100.
  progressPercent: async (enrollment, _args, { loaders }) => {
    if (enrollment.status === 'COMPLETED') return 100;
    const [done, all] = await Promise.all([loaders.completedLessonIds.load(enrollment.id), loaders.lessonIds.load(enrollment.courseId)]);
    return all.length === 0 ? 0 : Math.round((done.length / all.length) * 10_000) / 100;
  },
};
