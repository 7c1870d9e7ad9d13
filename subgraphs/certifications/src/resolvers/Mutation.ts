import type { MutationResolvers } from '../generated/resolvers-types';

export const Mutation: MutationResolvers = {
  revokeCertificate: (_parent, { id, reason }, { registry, viewer }) => registry.revoke(id, reason, viewer!),
  issueDc3: (_parent, { enrollmentId, input }, { dc3Issuer, viewer }) => dc3Issuer.issue(enrollmentId, input, viewer!),
};
