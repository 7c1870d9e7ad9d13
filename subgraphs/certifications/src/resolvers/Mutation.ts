import { BadUserInputError, ConflictError, NotFoundError } from '@academy/platform';
import type { MutationResolvers } from '../generated/resolvers-types';

export const Mutation: MutationResolvers = {
  revokeCertificate: async (_parent, { id, reason }, { certificates, loaders, viewer, tenant }) => {
    const why = reason.trim();
    if (why.length === 0 || why.length > 500) throw new BadUserInputError('A revocation needs a reason of 1 to 500 characters', [{ field: 'reason', message: 'must be 1 to 500 characters' }]);
    const certificate = await loaders.certificate.load(id);
    if (!certificate) throw new NotFoundError('Certificate');
    const revoked = await certificates.revoke(certificate.id, {
      reason: why,
      at: new Date(),
      // A platform admin of another tenant is not a user of this one.
      revokedById: viewer!.tenantId === tenant.id ? viewer!.userId : null,
      actorId: viewer!.userId,
      actorPersona: viewer!.persona,
    });
    if (!revoked) throw new ConflictError('The certificate is already revoked');
    return revoked;
  },
};
