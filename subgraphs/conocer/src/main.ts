// The conocer subgraph as a process: `node --import tsx subgraphs/conocer/src/main.ts`.
import { JobQueues, QUEUE_NAMES, queueConnectionOf, queuePrefixOf } from '@academy/jobs';
import { serveSubgraph } from '@academy/graphql-http';
import { closeRedis, createRedis } from '@academy/platform';
import { CircuitBoard, QueuedStandardsSync } from './delivery';
import { conocerEnvironment } from './environment';
import { StandardCache } from './repositories/standard-cache';
import { createConocerSubgraph } from './subgraph';

serveSubgraph('conocer', conocerEnvironment, async ({ environment, database, logger, onClose }) => {
  const redis = createRedis(environment.REDIS_URL, { name: 'conocer', logger, maxRetriesPerRequest: 1 });
  const queues = new JobQueues(queueConnectionOf(environment.REDIS_URL), queuePrefixOf(environment.REDIS_PREFIX));
  const syncEvents = queues.events(QUEUE_NAMES.standardsSync);
  queues.onError((error, queue) => logger.warn({ err: error.message, queue }, 'queue connection error'));
  syncEvents.on('error', (error) => logger.warn({ err: error.message, queue: QUEUE_NAMES.standardsSync }, 'queue events connection error'));
  onClose(async () => {
    await syncEvents.close();
    await queues.close();
    await closeRedis(redis);
  });
  return createConocerSubgraph({
    database,
    circuit: new CircuitBoard(redis, environment.REDIS_PREFIX),
    standardCache: new StandardCache(redis, environment.REDIS_PREFIX),
    standardsSync: new QueuedStandardsSync(queues, syncEvents, logger),
    gatewaySecret: environment.GATEWAY_SECRET,
    logger,
    introspection: environment.NODE_ENV !== 'production',
  }) as never;
});
