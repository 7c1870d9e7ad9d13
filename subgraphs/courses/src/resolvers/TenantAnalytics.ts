import type { Course } from '@academy/platform';
import type { TenantAnalyticsResolvers } from '../generated/resolvers-types';

// The figures of a report come from one statement (analytics/tenant-analytics.ts); certificatesIssued and
// conocerApproved from the certifications and conocer subgraphs, by the key (tenantId, from, to).
export const TenantAnalytics: TenantAnalyticsResolvers = {
  activeLearners: async (report, _args, { analytics }) => (await analytics.tenant.figuresOf(report)).activeLearners,
  newEnrollments: async (report, _args, { analytics }) => (await analytics.tenant.figuresOf(report)).newEnrollments,
  completions: async (report, _args, { analytics }) => (await analytics.tenant.figuresOf(report)).completions,
  revenueCents: async (report, _args, { analytics }) => (await analytics.tenant.figuresOf(report)).revenueCents,
  currency: async (report, _args, { analytics }) => (await analytics.tenant.figuresOf(report)).currency,
  topCourses: async (report, _args, { analytics, loaders }) => {
    const courses = await loaders.course.loadMany((await analytics.tenant.figuresOf(report)).topCourseIds);
    return courses.filter((course): course is Course => course !== null && !(course instanceof Error));
  },
};
