import type { UserResolvers } from '../generated/resolvers-types';

export const User: UserResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  notifications: (user, args, { notifications }) => notifications.page(user.id, args),
  notificationPreferences: (user, _args, { notifications }) => notifications.preferences(user.id),
};
