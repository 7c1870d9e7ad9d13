// What resolvers of this subgraph receive for each GraphQL type (codegen `mappers`).
import type { Notification } from '@academy/platform';
import type { NotificationPage } from './repositories/notification-repository';

export type NotificationModel = Notification;
export type NotificationConnectionModel = NotificationPage;

/** Users are the users subgraph's: this subgraph only knows their ids. */
export interface UserReference {
  id: string;
}
