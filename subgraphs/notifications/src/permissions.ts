import type { IRules } from 'graphql-shield';
import { everyone, federationRules, forType, isSelf, memberOfTenant, signedIn, viewerRule } from '@academy/permissions';
import type { Notification } from '@academy/platform';
import type { UserReference } from './models';

/** A notification is its recipient's alone (staff included: nobody reads another person's). */
const ownNotification = viewerRule<Notification>('notifications:own', 'Only its recipient sees a notification', (viewer, notification) =>
  isSelf(viewer, notification.userId),
);

/** A person's notifications and preferences: the person only. */
const self = viewerRule<UserReference>('notifications:self', 'Only the person sees their notifications', (viewer, user) =>
  isSelf(viewer, user.id),
);

/** Every type has a rule (a field added later gets its type's); graphql-shield denies anything else. */
export const permissions: IRules = {
  Query: { ...federationRules.Query, me: everyone, notificationEvent: signedIn },
  Mutation: { markNotificationsRead: memberOfTenant, updateNotificationPreferences: memberOfTenant },
  Subscription: { notificationReceived: signedIn },
  _Service: federationRules._Service,
  Notification: forType(ownNotification),
  NotificationEdge: forType(signedIn),
  NotificationConnection: forType(signedIn),
  NotificationPreferences: forType(signedIn),
  PageInfo: forType(signedIn),
  User: forType(self, { id: signedIn }),
};
