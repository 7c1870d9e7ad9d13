// The impact subgraph as a process: `node --import tsx subgraphs/impact/src/main.ts`.
import { serveSubgraph } from '@academy/graphql-http';
import { impactEnvironment } from './environment';
import { createImpactSubgraph } from './subgraph';

serveSubgraph(
  'impact',
  impactEnvironment,
  async ({ environment, database, logger }) =>
    createImpactSubgraph({
      database,
      gatewaySecret: environment.GATEWAY_SECRET,
      logger,
      introspection: environment.NODE_ENV !== 'production',
    }) as never,
);
