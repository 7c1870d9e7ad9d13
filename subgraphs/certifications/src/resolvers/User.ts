import type { UserResolvers } from '../generated/resolvers-types';

export const User: UserResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  certificates: (user, _args, { loaders }) => loaders.certificatesOfLearner.load(user.id),
};
