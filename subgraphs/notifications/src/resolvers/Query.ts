import { meOf } from '@academy/platform';
import type { QueryResolvers } from '../generated/resolvers-types';

export const Query: QueryResolvers = {
  // The signed-in person, so that `me { <fields of this subgraph> }` needs no users request first.
  me: (_parent, _args, { viewer }) => meOf(viewer),
  // Each live notificationReceived event, as its subscriber: null when it is not theirs.
  notificationEvent: async (_parent, { id }, { loaders, viewer }) => {
    const notification = await loaders.notification.load(id);
    return notification && notification.userId === viewer?.userId ? notification : null;
  },
};
