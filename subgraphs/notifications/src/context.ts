import type DataLoader from 'dataloader';
import type { SubgraphBaseContext, SubgraphOwnContext } from '@academy/graphql-http';
import { entityLoader, type Database, type ForwardedContext, type Notification } from '@academy/platform';
import { NotificationRepository } from './repositories/notification-repository';

export interface SubgraphContext extends SubgraphBaseContext {
  notifications: NotificationRepository;
  loaders: {
    notification: DataLoader<string, Notification | null>;
  };
}

export interface NotificationsDependencies {
  database: Database;
}

export function contextFactory(deps: NotificationsDependencies) {
  return (forwarded: ForwardedContext): SubgraphOwnContext<SubgraphContext> => {
    const notifications = new NotificationRepository(deps.database.forTenant(forwarded.tenant.id));
    return {
      ...forwarded,
      notifications,
      loaders: { notification: entityLoader((ids) => notifications.findByIds(ids)) },
    };
  };
}
