import { meOf } from '@academy/platform';
import { isAdmin } from '@academy/permissions';
import type { QueryResolvers } from '../generated/resolvers-types';

export const Query: QueryResolvers = {
  // The signed-in person, so that `me { <fields of this subgraph> }` needs no users request first.
  me: (_parent, _args, { viewer }) => meOf(viewer),
  // Who may see it is checked by graphql-shield before this runs.
  certificate: async (_parent, { id }, { loaders }) => (await loaders.certificate.load(id))!,
  verifyCertificate: (_parent, { code }, { registry }) => registry.verify(code),
  credentialStatusList: (_parent, { list }, { statusLists }) => statusLists.signedList(list),
  // A learner's own only (permissions.ts refuses another person's userId).
  dc3s: (_parent, { first, after, userId }, { dc3s, viewer }) =>
    dc3s.list({ first, after, learnerId: isAdmin(viewer) ? userId : viewer!.userId }),
};
