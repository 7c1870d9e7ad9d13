import type { CourseAnalyticsResolvers } from '../generated/resolvers-types';

// Every figure but rating, funnel order and enrollmentsByDay comes from one batched statement (analytics/course-analytics.ts).
export const CourseAnalytics: CourseAnalyticsResolvers = {
  enrollmentCount: async ({ course }, _args, { analytics }) => (await analytics.courses.figuresOf(course.id)).enrollmentCount,
  activeCount: async ({ course }, _args, { analytics }) => (await analytics.courses.figuresOf(course.id)).activeCount,
  completedCount: async ({ course }, _args, { analytics }) => (await analytics.courses.figuresOf(course.id)).completedCount,
  completionRate: ({ course }, _args, { analytics }) => analytics.courses.completionRate(course.id),
  averageProgressPercent: async ({ course }, _args, { analytics }) => (await analytics.courses.figuresOf(course.id)).averageProgressPercent,
  averageScore: async ({ course }, _args, { analytics }) => (await analytics.courses.figuresOf(course.id)).averageScore,
  passRate: ({ course }, _args, { analytics }) => analytics.courses.passRate(course.id),
  revenueCents: async ({ course }, _args, { analytics }) => (await analytics.courses.figuresOf(course.id)).revenueCents,
  rating: ({ course }, _args, { loaders }) => loaders.rating.load(course.id),
  funnel: async ({ course }, _args, { analytics, loaders }) => analytics.courses.funnel(course.id, await loaders.modules.load(course.id)),
  enrollmentsByDay: ({ course }, { days }, { analytics }) => analytics.courses.enrollmentsByDay(course.id, days ?? 30),
};
