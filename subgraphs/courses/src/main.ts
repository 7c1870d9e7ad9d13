// The courses subgraph as a process: `node --import tsx subgraphs/courses/src/main.ts`.
import { CredentialSigner } from '@academy/credentials';
import { createDatabaseClient, createLogger, Database, serviceDatabaseUrl } from '@academy/platform';
import { loadSigningKey } from '@academy/tokens';
import { coursesEnvironment } from './environment';
import { createCoursesSubgraph } from './subgraph';

async function main(): Promise<void> {
  const environment = coursesEnvironment();
  const logger = createLogger({ service: 'courses', level: environment.LOG_LEVEL });
  const client = createDatabaseClient({ url: serviceDatabaseUrl(environment), poolSize: environment.DATABASE_POOL_SIZE, applicationName: 'academy-courses' });
  const subgraph = await createCoursesSubgraph({
    database: new Database(client.prisma),
    credentials: new CredentialSigner(await loadSigningKey(environment.CREDENTIAL_SIGNING_KEY)),
    baseDomain: environment.BASE_DOMAIN,
    gatewaySecret: environment.GATEWAY_SECRET,
    logger,
    introspection: environment.NODE_ENV !== 'production',
  });
  const url = await subgraph.listen(environment.PORT);
  logger.info({ url }, 'courses subgraph ready');
  const stop = async () => {
    await subgraph.close();
    await client.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();
