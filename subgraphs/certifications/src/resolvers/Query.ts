import type { QueryResolvers } from '../generated/resolvers-types';

export const Query: QueryResolvers = {
  // Who may see it is checked by graphql-shield before this runs.
  certificate: async (_parent, { id }, { loaders }) => (await loaders.certificate.load(id))!,
  verifyCertificate: (_parent, { code }, { registry }) => registry.verify(code),
};
