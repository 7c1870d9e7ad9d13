import { ownTenantRange } from '@academy/platform';
import type { TenantAnalyticsResolvers } from '../generated/resolvers-types';

export const TenantAnalytics: TenantAnalyticsResolvers = {
  // Only the request's own tenant: a key naming another (which the gateway never sends) resolves nothing.
  __resolveReference: (key, { tenant }) => ownTenantRange(key, tenant),
  conocerApproved: (report, _args, { submissions }) => submissions.approvedBetween(report.from, report.to),
};
