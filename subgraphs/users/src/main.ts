// The users subgraph as a process: `node --import tsx subgraphs/users/src/main.ts`.
import { serveSubgraph } from '@academy/graphql-http';
import { closeRedis, createRedis } from '@academy/platform';
import { loadSigningKey, TokenIssuer } from '@academy/tokens';
import { usersEnvironment } from './environment';
import { createUsersSubgraph } from './subgraph';

serveSubgraph('users', usersEnvironment, async ({ environment, database, logger, onClose }) => {
  const redis = createRedis(environment.REDIS_URL, { name: 'users', logger, maxRetriesPerRequest: 1 });
  onClose(() => closeRedis(redis));
  return createUsersSubgraph({
    database,
    redis,
    redisPrefix: environment.REDIS_PREFIX,
    tokens: new TokenIssuer(await loadSigningKey(environment.AUTH_SIGNING_KEY), {
      issuer: environment.AUTH_ISSUER,
      audience: environment.AUTH_AUDIENCE,
      ttlSeconds: environment.AUTH_TOKEN_TTL_SECONDS,
    }),
    refreshTtlSeconds: environment.AUTH_REFRESH_TTL_SECONDS,
    gatewaySecret: environment.GATEWAY_SECRET,
    logger,
    introspection: environment.NODE_ENV !== 'production',
  }) as never;
});
