// The certifications subgraph as a process: `node --import tsx subgraphs/certifications/src/main.ts`.
import { serveSubgraph } from '@academy/graphql-http';
import { certificationsEnvironment } from './environment';
import { createCertificationsSubgraph } from './subgraph';

serveSubgraph(
  'certifications',
  certificationsEnvironment,
  async ({ environment, database, logger }) =>
    createCertificationsSubgraph({
      database,
      appUrl: environment.APP_URL,
      gatewaySecret: environment.GATEWAY_SECRET,
      logger,
      introspection: environment.NODE_ENV !== 'production',
    }) as never,
);
