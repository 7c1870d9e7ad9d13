// The conocer subgraph as a process: `node --import tsx subgraphs/conocer/src/main.ts`.
import { createDatabaseClient, createLogger, Database, serviceDatabaseUrl } from '@academy/platform';
import { conocerEnvironment } from './environment';
import { createConocerSubgraph } from './subgraph';

async function main(): Promise<void> {
  const environment = conocerEnvironment();
  const logger = createLogger({ service: 'conocer', level: environment.LOG_LEVEL });
  const client = createDatabaseClient({ url: serviceDatabaseUrl(environment), poolSize: environment.DATABASE_POOL_SIZE, applicationName: 'academy-conocer' });
  const subgraph = await createConocerSubgraph({
    database: new Database(client.prisma),
    // No CONOCER client runs in this process yet (guaranteed delivery is the workers' job).
    circuit: { state: () => 'CLOSED' },
    gatewaySecret: environment.GATEWAY_SECRET,
    logger,
    introspection: environment.NODE_ENV !== 'production',
  });
  const url = await subgraph.listen(environment.PORT);
  logger.info({ url }, 'conocer subgraph ready');
  const stop = async () => {
    await subgraph.close();
    await client.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();
