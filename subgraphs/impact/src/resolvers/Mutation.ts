import type { MutationResolvers } from '../generated/resolvers-types';

// Who may record and verify is checked by graphql-shield before these run.
export const Mutation: MutationResolvers = {
  recordImpactEvent: (_parent, { input }, { ledger, viewer }) => ledger.record(viewer!, input),
  verifyImpactEvent: async (_parent, { id, level }, { ledger, loaders, viewer }) =>
    ledger.verify((await loaders.event.load(id))!, level, viewer!),
};
