import type { MutationResolvers } from '../generated/resolvers-types';
import { updatedPreferences } from '../inbox/preferences';

// Signed in as a member of the tenant (graphql-shield): everything here is the viewer's own.
export const Mutation: MutationResolvers = {
  markNotificationsRead: (_parent, { ids }, { notifications, viewer }) => notifications.markRead(viewer!.userId, ids ?? null, new Date()),
  updateNotificationPreferences: async (_parent, { input }, { notifications, viewer }) =>
    notifications.savePreferences(viewer!.userId, updatedPreferences(await notifications.preferences(viewer!.userId), input)),
};
