// The notifications subgraph as a process: `node --import tsx subgraphs/notifications/src/main.ts`.
import { serveSubgraph } from '@academy/graphql-http';
import { notificationsEnvironment } from './environment';
import { createNotificationsSubgraph } from './subgraph';

serveSubgraph(
  'notifications',
  notificationsEnvironment,
  async ({ environment, database, logger }) =>
    createNotificationsSubgraph({
      database,
      gatewaySecret: environment.GATEWAY_SECRET,
      logger,
      introspection: environment.NODE_ENV !== 'production',
    }) as never,
);
