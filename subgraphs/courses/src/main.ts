// The courses subgraph as a process: `node --import tsx subgraphs/courses/src/main.ts`.
import { CredentialSigner } from '@academy/credentials';
import { serveSubgraph } from '@academy/graphql-http';
import { coursesEnvironment } from './environment';
import { createCoursesSubgraph } from './subgraph';

serveSubgraph(
  'courses',
  coursesEnvironment,
  async ({ environment, database, logger }) =>
    createCoursesSubgraph({
      database,
      credentials: await CredentialSigner.load(environment.CREDENTIAL_SIGNING_KEY, environment.CREDENTIAL_RSA_SIGNING_KEY),
      baseDomain: environment.BASE_DOMAIN,
      gatewaySecret: environment.GATEWAY_SECRET,
      logger,
      introspection: environment.NODE_ENV !== 'production',
    }) as never,
);
