import type { QueryResolvers } from '../generated/resolvers-types';

// Who may ask for which scope and whose events is checked by graphql-shield before these run.
export const Query: QueryResolvers = {
  impactReport: (_parent, { scope, period, communityId, userId }, { reports, viewer }) =>
    reports.forScope(scope, period ?? 'ALL_TIME', { communityId, userId }, viewer!),
  impactEvents: (_parent, args, { ledger, viewer }) => ledger.list(viewer!, args),
};
