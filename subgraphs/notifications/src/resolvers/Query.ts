import type { QueryResolvers } from '../generated/resolvers-types';

export const Query: QueryResolvers = {
  // Each live notificationReceived event, as its subscriber: null when it is not theirs.
  notificationEvent: async (_parent, { id }, { loaders, viewer }) => {
    const notification = await loaders.notification.load(id);
    return notification && notification.userId === viewer?.userId ? notification : null;
  },
};
