// The workers as a process (run as many as needed): `node --import tsx workers/src/main.ts`.
import { startTracing } from '@academy/telemetry';
import { closeRedis, createDatabaseClient, createLogger, createRedis, Database, serviceDatabaseUrl } from '@academy/platform';
import { queueConnectionOf } from '@academy/jobs';
import { workersEnvironment } from './environment';
import { ObjectStorage, storageSettings } from '@academy/storage';
import { PaymentProvider, paymentSettings, stripeClient } from '@academy/subgraph-commerce';
import { healthServer, startWorkers } from './workers';

async function main(): Promise<void> {
  const environment = workersEnvironment();
  const logger = createLogger({ service: 'workers', level: environment.LOG_LEVEL });
  const tracing = startTracing({ service: 'workers', otlpEndpoint: environment.OTEL_EXPORTER_OTLP_ENDPOINT });
  const databaseUrl = serviceDatabaseUrl(environment);
  const client = createDatabaseClient({ url: databaseUrl, poolSize: environment.DATABASE_POOL_SIZE, applicationName: 'academy-workers' });
  const database = new Database(client.prisma, {
    pool: client.pool,
    preparedStatements: environment.DATABASE_PREPARED_STATEMENTS,
    ...(environment.DATABASE_READ_SESSIONS ? { sessions: client.sessions, sessionPool: client.sessionPool } : {}),
  });
  const redis = createRedis(environment.REDIS_URL, { name: 'workers', logger, maxRetriesPerRequest: 1 });
  const storage = new ObjectStorage(storageSettings(environment));
  const payment = paymentSettings(environment);
  const workers = await startWorkers({
    workerId: environment.WORKER_ID,
    database,
    pool: client.pool,
    databaseUrl,
    redis,
    queueConnection: queueConnectionOf(environment.REDIS_URL),
    redisPrefix: environment.REDIS_PREFIX,
    conocer: {
      baseUrl: environment.CONOCER_URL,
      clientId: environment.CONOCER_CLIENT_ID,
      clientSecret: environment.CONOCER_CLIENT_SECRET,
      timeoutMs: environment.CONOCER_TIMEOUT_MS,
      breakerResetMs: environment.CONOCER_BREAKER_RESET_MS,
    },
    tuning: {
      submitAttempts: environment.CONOCER_SUBMIT_ATTEMPTS,
      backoffMs: environment.CONOCER_BACKOFF_MS,
      pollMs: environment.CONOCER_POLL_MS,
      pollMaxMs: environment.CONOCER_POLL_MAX_MS,
    },
    concurrency: environment.WORKER_CONCURRENCY,
    lockDurationMs: environment.WORKER_LOCK_MS,
    stalledIntervalMs: environment.WORKER_LOCK_MS,
    shutdownMs: environment.WORKER_SHUTDOWN_MS,
    reconcile: { everyMs: environment.RECONCILE_EVERY_MS, pendingOlderThanMs: 5 * 60_000, polledOlderThanMs: 10 * 60_000 },
    standardsSyncPattern: environment.STANDARDS_SYNC_CRON,
    schedule: true,
    storage,
    email: {
      smtpUrl: environment.SMTP_URL,
      from: environment.MAIL_FROM,
      appUrl: environment.APP_URL,
      attempts: environment.EMAIL_ATTEMPTS,
      backoffMs: environment.EMAIL_BACKOFF_MS,
      timeoutMs: environment.SMTP_TIMEOUT_MS,
      breakerResetMs: environment.SMTP_BREAKER_RESET_MS,
    },
    payments: new PaymentProvider(stripeClient(payment), payment.webhookSecret),
    logger,
  });
  const health = healthServer(database, workers.metrics, redis);
  await new Promise<void>((resolve, reject) => {
    health.once('error', reject);
    health.listen(environment.PORT, environment.HOST, resolve);
  });
  logger.info({ workerId: environment.WORKER_ID, host: environment.HOST, port: environment.PORT }, 'workers ready');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    health.close();
    await workers.stop();
    storage.close();
    await closeRedis(redis);
    await client.close();
    await tracing.shutdown();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: Error) => {
  process.stderr.write(`workers could not start: ${error.message}\n`);
  process.exit(1);
});
