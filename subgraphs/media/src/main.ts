// The media subgraph as a process: `node --import tsx subgraphs/media/src/main.ts`.
import { serveSubgraph } from '@academy/graphql-http';
import { ObjectStorage, storageSettings } from '@academy/storage';
import { mediaEnvironment } from './environment';
import { createMediaSubgraph } from './subgraph';

serveSubgraph('media', mediaEnvironment, async ({ environment, database, logger, onClose }) => {
  const storage = new ObjectStorage(storageSettings(environment));
  onClose(async () => storage.close());
  // Production buckets are provisioned (with their lifecycle and CORS rules); elsewhere the local one is made.
  // Development: the bucket, and browsers of any origin may PUT uploads and GET files (presigned).
  if (environment.NODE_ENV !== 'production') await storage.ensureBucket({ browserOrigins: ['*'] });
  return createMediaSubgraph({
    database,
    storage,
    gatewaySecret: environment.GATEWAY_SECRET,
    logger,
    introspection: environment.NODE_ENV !== 'production',
  }) as never;
});
