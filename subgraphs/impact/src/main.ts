// The impact subgraph as a process: `node --import tsx subgraphs/impact/src/main.ts`.
import { createDatabaseClient, createLogger, Database, serviceDatabaseUrl } from '@academy/platform';
import { impactEnvironment } from './environment';
import { createImpactSubgraph } from './subgraph';

async function main(): Promise<void> {
  const environment = impactEnvironment();
  const logger = createLogger({ service: 'impact', level: environment.LOG_LEVEL });
  const client = createDatabaseClient({ url: serviceDatabaseUrl(environment), poolSize: environment.DATABASE_POOL_SIZE, applicationName: 'academy-impact' });
  const subgraph = await createImpactSubgraph({
    database: new Database(client.prisma),
    gatewaySecret: environment.GATEWAY_SECRET,
    logger,
    introspection: environment.NODE_ENV !== 'production',
  });
  const url = await subgraph.listen(environment.PORT);
  logger.info({ url }, 'impact subgraph ready');
  const stop = async () => {
    await subgraph.close();
    await client.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();
