export { createNotificationsSubgraph, typeDefs } from './subgraph';
export { permissions } from './permissions';
export type { NotificationsDependencies, SubgraphContext as NotificationsContext } from './context';
export { emailEnvironmentShape } from './environment';
export { Mailer, maskEmail } from './email';
export { EmailSender, type EmailOutcome } from './inbox/email-sender';
export { NotificationInbox, type InboxOutlets, type NotificationCreated } from './inbox/notification-inbox';
export { NOTIFYING_EVENTS, type NotifyingEvent } from './inbox/notification-drafts';
export { MESSAGES, messageLocale } from './inbox/messages';
