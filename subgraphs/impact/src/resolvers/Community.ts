import type { CommunityResolvers } from '../generated/resolvers-types';

export const Community: CommunityResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  impact: (community, { period }, { reports }) => reports.community(community.id, period ?? 'ALL_TIME'),
};
