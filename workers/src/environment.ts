import os from 'node:os';
import { z } from 'zod';
import { checkServiceEnvironment, env, parseEnvironment, serviceEnvironmentShape } from '@academy/platform';
import { storageEnvironmentShape } from '@academy/storage';
import { paymentEnvironmentShape } from '@academy/subgraph-commerce';
import { emailEnvironmentShape } from '@academy/subgraph-notifications';

export function workersEnvironment() {
  return parseEnvironment(
    'workers',
    {
      ...serviceEnvironmentShape,
      ...storageEnvironmentShape,
      ...emailEnvironmentShape,
      /** The payment provider, as the commerce subgraph has it (the order reconciliation asks it about PENDING orders). */
      ...paymentEnvironmentShape,
      /** Health endpoint of this process. */
      PORT: env.port(4006),
      WORKER_ID: z.string().default(`${os.hostname()}-${process.pid}`),
      WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(10),
      /** A job whose worker stopped renewing its lock for this long is taken over by another worker. */
      WORKER_LOCK_MS: z.coerce.number().int().min(500).default(30_000),
      /**
       * On SIGTERM, running jobs get this long to finish; then the process closes anyway and
       * another worker takes them over once their lock expires (every effect is idempotent by key).
       */
      WORKER_SHUTDOWN_MS: z.coerce.number().int().min(0).default(25_000),
      CONOCER_URL: env.url(['http', 'https']),
      CONOCER_CLIENT_ID: z.string().min(1),
      CONOCER_CLIENT_SECRET: z.string().min(1),
      CONOCER_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
      CONOCER_BREAKER_RESET_MS: z.coerce.number().int().min(100).default(30_000),
      CONOCER_SUBMIT_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
      CONOCER_BACKOFF_MS: z.coerce.number().int().min(10).default(2_000),
      CONOCER_POLL_MS: z.coerce.number().int().min(10).default(2_000),
      CONOCER_POLL_MAX_MS: z.coerce.number().int().min(10).default(60_000),
      STANDARDS_SYNC_CRON: z.string().default('0 3 * * *'),
      RECONCILE_EVERY_MS: z.coerce.number().int().min(1000).default(60_000),
    },
    process.env,
    checkServiceEnvironment,
  );
}
