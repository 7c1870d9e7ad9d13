import type { NotificationResolvers } from '../generated/resolvers-types';

export const Notification: NotificationResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.notification.load(reference.id),
};
