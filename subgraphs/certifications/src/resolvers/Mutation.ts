import type { MutationResolvers } from '../generated/resolvers-types';

export const Mutation: MutationResolvers = {
  revokeCertificate: (_parent, { id, reason }, { registry, viewer }) => registry.revoke(id, reason, viewer!),
};
