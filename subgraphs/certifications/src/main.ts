// The certifications subgraph as a process: `node --import tsx subgraphs/certifications/src/main.ts`.
import { createDatabaseClient, createLogger, Database, serviceDatabaseUrl } from '@academy/platform';
import { certificationsEnvironment } from './environment';
import { createCertificationsSubgraph } from './subgraph';

async function main(): Promise<void> {
  const environment = certificationsEnvironment();
  const logger = createLogger({ service: 'certifications', level: environment.LOG_LEVEL });
  const client = createDatabaseClient({ url: serviceDatabaseUrl(environment), poolSize: environment.DATABASE_POOL_SIZE, applicationName: 'academy-certifications' });
  const subgraph = await createCertificationsSubgraph({
    database: new Database(client.prisma),
    gatewaySecret: environment.GATEWAY_SECRET,
    logger,
    introspection: environment.NODE_ENV !== 'production',
  });
  const url = await subgraph.listen(environment.PORT);
  logger.info({ url }, 'certifications subgraph ready');
  const stop = async () => {
    await subgraph.close();
    await client.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();
