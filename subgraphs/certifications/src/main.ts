// The certifications subgraph as a process: `node --import tsx subgraphs/certifications/src/main.ts`.
import { CredentialSigner } from '@academy/credentials';
import { serveSubgraph } from '@academy/graphql-http';
import { ObjectStorage, storageSettings } from '@academy/storage';
import { certificationsEnvironment } from './environment';
import { createCertificationsSubgraph } from './subgraph';

serveSubgraph('certifications', certificationsEnvironment, async ({ environment, database, logger, onClose }) => {
  const storage = new ObjectStorage(storageSettings(environment));
  onClose(async () => storage.close());
  // Development: the bucket, and browsers of any origin may PUT uploads and GET files (presigned).
  if (environment.NODE_ENV !== 'production') await storage.ensureBucket({ browserOrigins: ['*'] });
  return createCertificationsSubgraph({
    database,
    storage,
    appUrl: environment.APP_URL,
    credentials: await CredentialSigner.load(environment.CREDENTIAL_SIGNING_KEY, environment.CREDENTIAL_RSA_SIGNING_KEY),
    baseDomain: environment.BASE_DOMAIN,
    gatewaySecret: environment.GATEWAY_SECRET,
    logger,
    introspection: environment.NODE_ENV !== 'production',
  }) as never;
});
