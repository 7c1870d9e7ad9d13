// The users subgraph as a process: `node --import tsx subgraphs/users/src/main.ts`.
import { createDatabaseClient, createLogger, Database, serviceDatabaseUrl } from '@academy/platform';
import { loadSigningKey, TokenIssuer } from '@academy/tokens';
import { usersEnvironment } from './environment';
import { createUsersSubgraph } from './subgraph';

async function main(): Promise<void> {
  const environment = usersEnvironment();
  const logger = createLogger({ service: 'users', level: environment.LOG_LEVEL });
  const client = createDatabaseClient({ url: serviceDatabaseUrl(environment), poolSize: environment.DATABASE_POOL_SIZE, applicationName: 'academy-users' });
  const tokens = new TokenIssuer(await loadSigningKey(environment.AUTH_SIGNING_KEY), {
    issuer: environment.AUTH_ISSUER,
    audience: environment.AUTH_AUDIENCE,
    ttlSeconds: environment.AUTH_TOKEN_TTL_SECONDS,
  });
  const subgraph = await createUsersSubgraph({
    database: new Database(client.prisma),
    tokens,
    gatewaySecret: environment.GATEWAY_SECRET,
    logger,
    introspection: environment.NODE_ENV !== 'production',
  });
  const url = await subgraph.listen(environment.PORT);
  logger.info({ url }, 'users subgraph ready');
  const stop = async () => {
    await subgraph.close();
    await client.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();
