import { meOf } from '@academy/platform';
import type { QueryResolvers } from '../generated/resolvers-types';

// Who may ask for which scope and whose events is checked by graphql-shield before these run.
export const Query: QueryResolvers = {
  // The signed-in person, so that `me { <fields of this subgraph> }` needs no users request first.
  me: (_parent, _args, { viewer }) => meOf(viewer),
  impactReport: (_parent, { scope, period, communityId, userId }, { reports, viewer }) =>
    reports.forScope(scope, period ?? 'ALL_TIME', { communityId, userId }, viewer!),
  impactEvents: (_parent, args, { ledger, viewer }) => ledger.list(viewer!, args),
};
