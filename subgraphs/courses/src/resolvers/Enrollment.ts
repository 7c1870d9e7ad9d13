import type { EnrollmentResolvers, UserResolvers } from '../generated/resolvers-types';
import { canSeeCourse } from '../repositories/course-repository';

const STAFF = ['EVALUATOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'];

export const Enrollment: EnrollmentResolvers = {
  __resolveReference: async (reference, { loaders, viewer }) => {
    const enrollment = await loaders.enrollment.load(reference.id);
    if (!enrollment || !viewer) return null;
    return enrollment.learnerId === viewer.userId || STAFF.includes(viewer.persona) ? enrollment : null;
  },
  learner: (enrollment) => ({ id: enrollment.learnerId }),
  course: async (enrollment, _args, { loaders }) => (await loaders.course.load(enrollment.courseId))!,
  completedLessonIds: (enrollment, _args, { loaders }) => loaders.completedLessonIds.load(enrollment.id),
  progressPercent: async (enrollment, _args, { loaders }) => {
    const [done, all] = await Promise.all([loaders.completedLessonIds.load(enrollment.id), loaders.lessonIds.load(enrollment.courseId)]);
    return all.length === 0 ? 0 : Math.round((done.length / all.length) * 10_000) / 100;
  },
};

export const User: UserResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  enrollments: (user, { status }, { loaders }) => loaders.enrollmentsOfLearner.load({ learnerId: user.id, status: status ?? null }),
  coursesTaught: async (user, _args, { loaders, viewer }) => (await loaders.coursesTaughtBy.load(user.id)).filter((course) => canSeeCourse(course, viewer)),
};
