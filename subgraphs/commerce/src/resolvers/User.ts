import type { UserResolvers } from '../generated/resolvers-types';

export const User: UserResolvers = {
  orders: (user, _args, { loaders }) => loaders.ordersOfBuyer.load(user.id),
};
