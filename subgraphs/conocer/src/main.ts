// The conocer subgraph as a process: `node --import tsx subgraphs/conocer/src/main.ts`.
import { serveSubgraph } from '@academy/graphql-http';
import { conocerEnvironment } from './environment';
import { createConocerSubgraph } from './subgraph';

serveSubgraph('conocer', conocerEnvironment, async ({ environment, database, logger }) =>
  createConocerSubgraph({
    database,
    // No CONOCER client runs in this process yet (guaranteed delivery is the workers' job).
    circuit: { state: () => 'CLOSED' },
    gatewaySecret: environment.GATEWAY_SECRET,
    logger,
    introspection: environment.NODE_ENV !== 'production',
  }) as never,
);
