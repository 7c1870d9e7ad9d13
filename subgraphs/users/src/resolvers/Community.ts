import type { CommunityResolvers } from '../generated/resolvers-types';

export const Community: CommunityResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.community.load(reference.id),
  memberCount: (community, _args, { loaders }) => loaders.memberCount.load(community.id),
  members: (community, args, { communities }) => communities.members(community.id, args),
};
