import type { UserResolvers } from '../generated/resolvers-types';

export const User: UserResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.user.load(reference.id),
  tenant: (_user, _args, { tenants }) => tenants.current().then((tenant) => tenant!),
  communities: (user, _args, { loaders }) => loaders.communitiesOfUser.load(user.id),
  // The media subgraph resolves the file (and decides who sees it).
  avatar: (user) => (user.avatarFileId ? { __typename: 'File' as const, id: user.avatarFileId } : null),
};
