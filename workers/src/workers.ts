import http from 'node:http';
import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type pg from 'pg';
import {
  emailBackoff,
  JobQueues,
  notifyBackoff,
  QUEUE_NAMES,
  queuePrefixOf,
  type DeliveryTuning,
  type EmailJob,
  type NotifyJob,
  type Traced,
  type ImpactJob,
  type MaintenanceJob,
  type PollJob,
  type SagaJob,
  type StandardsSyncJob,
  type SubmitJob,
} from '@academy/jobs';
import {
  certificateIssued,
  certificateRevoked,
  certificationStatusChannel,
  conocerStatusChanged,
  conocerSubmissionRequested,
  DOMAIN_EVENTS,
  impactEventsChanged,
  notificationReceivedChannel,
  orderFailed,
  orderPaid,
  orderRefunded,
  orderStatusChannel,
  type DomainEvents,
  type EventRoutes,
  type OutboxRecord,
} from '@academy/events';
import { OutboxRelay, outboxRecordOf, type OutboxRow } from '@academy/outbox';
import type { Database, Logger, Redis } from '@academy/platform';
import { ImpactAggregation, recordCertificationImpact, rollupSince } from '@academy/subgraph-impact';
import { OrderReconciliation, type PaymentProvider } from '@academy/subgraph-commerce';
import { CircuitBoard, ConocerClient, StandardsSync, SubmissionDelivery, type CircuitState } from '@academy/subgraph-conocer';
import { PaidEnrollments } from '@academy/subgraph-courses';
import { deleteAbandonedUploads } from '@academy/subgraph-media';
import { EmailSender, Mailer, NotificationInbox, NOTIFYING_EVENTS, type NotifyingEvent } from '@academy/subgraph-notifications';
import type { ObjectStorage } from '@academy/storage';
import { certificationSaga } from './sagas/certification-saga';
import { contextOfTraceparent, inSpan, SpanKind } from '@academy/telemetry';
import { SagaRunner } from './sagas/saga-runner';
import { TenantPause } from './tenant-pause';
import { WorkerMetrics } from './worker-metrics';

export interface WorkerDependencies {
  workerId: string;
  database: Database;
  /** The services' pool (the outbox relay claims through it) and a URL for LISTEN. */
  pool: pg.Pool;
  databaseUrl: string;
  /** For publishing and the circuit board. */
  redis: Redis;
  /** BullMQ's connection (it opens its own). */
  queueConnection: ConnectionOptions;
  redisPrefix: string;
  conocer: { baseUrl: string; clientId: string; clientSecret: string; timeoutMs: number; breakerResetMs: number };
  tuning: DeliveryTuning;
  concurrency: number;
  /** How long a job is held before another worker may take it over (a crashed worker's jobs). */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** How long `stop()` lets running jobs finish before it closes regardless (default 25 s). */
  shutdownMs?: number;
  reconcile: { everyMs: number; pendingOlderThanMs: number; polledOlderThanMs: number };
  /** How long a suspended tenant's job waits before it looks again (default a minute). */
  suspendedRecheckMs?: number;
  standardsSyncPattern: string;
  /** Register the job schedulers (daily sync, reconciliation); tests may leave them out. */
  schedule: boolean;
  /** Object storage (abandoned uploads are deleted from it). */
  storage: ObjectStorage;
  /** Sending email; null: notifications' emails wait, PENDING, for a worker that sends. */
  email: EmailSettings | null;
  /** The payment provider: PENDING orders older than `reconcile.pendingOlderThanMs` are asked of it ('reconcile-orders'). */
  payments: PaymentProvider;
  logger: Logger;
}

export interface EmailSettings {
  smtpUrl: string;
  from: string;
  /** https://{tenant}.academy.mx */
  appUrl: string;
  attempts: number;
  backoffMs: number;
  timeoutMs: number;
  breakerResetMs: number;
}

export interface RunningWorkers {
  queues: JobQueues;
  relay: OutboxRelay<DomainEvents>;
  impact: ImpactAggregation;
  client: ConocerClient;
  delivery: SubmissionDelivery;
  inbox: NotificationInbox;
  mailer: Mailer | null;
  /** Circuit transitions this worker saw, oldest first. */
  circuitHistory: CircuitState[];
  metrics: WorkerMetrics;
  stop(): Promise<void>;
}

/**
 * Everything that runs in the background, in one process (as many replicas as needed): the
 * outbox relay, CONOCER delivery (submit, poll, give up), the standards sync, sagas, and
 * reconciliation from the database.
 */
export async function startWorkers(deps: WorkerDependencies): Promise<RunningWorkers> {
  const { logger } = deps;
  const board = new CircuitBoard(deps.redis, deps.redisPrefix);
  const circuitHistory: CircuitState[] = [];
  let metrics: WorkerMetrics | null = null;
  const client = new ConocerClient({
    baseUrl: deps.conocer.baseUrl,
    clientId: deps.conocer.clientId,
    clientSecret: deps.conocer.clientSecret,
    timeoutMs: deps.conocer.timeoutMs,
    breaker: { resetTimeoutMs: deps.conocer.breakerResetMs },
    onCircuitChange: (state) => {
      circuitHistory.push(state);
      metrics?.circuit(state);
      logger.warn({ circuit: state }, 'CONOCER circuit changed');
      void board.report(deps.workerId, state).catch(() => undefined);
    },
  });
  const emailTuning = { attempts: deps.email?.attempts ?? 20, backoffMs: deps.email?.backoffMs ?? 5_000, maxBackoffMs: 600_000 };
  const queues = new JobQueues(deps.queueConnection, queuePrefixOf(deps.redisPrefix), deps.tuning, emailTuning);
  queues.onError((error, queue) => logger.warn({ err: error.message, queue }, 'queue connection error'));
  metrics = new WorkerMetrics(queues.all, deps.redis, `${deps.redisPrefix}standards-sync:consecutive-failures`);
  const workerMetrics = metrics;
  const delivery = new SubmissionDelivery(deps.database, client, queues, logger);
  const standardsSync = new StandardsSync(deps.database, client, deps.redis, deps.redisPrefix, logger);
  const impact = new ImpactAggregation(deps.database, logger);
  const inbox = new NotificationInbox(
    deps.database,
    {
      published: (created) => notificationReceivedChannel.publish(deps.redis, deps.redisPrefix, created.tenantId, created),
      emailQueued: (job) => queues.addEmail(job),
    },
    logger,
  );
  const mailer = deps.email
    ? new Mailer({
        smtpUrl: deps.email.smtpUrl,
        from: deps.email.from,
        timeoutMs: deps.email.timeoutMs,
        breakerResetMs: deps.email.breakerResetMs,
        onCircuitChange: (state) => {
          workerMetrics.smtp(state);
          logger.warn({ circuit: state }, 'SMTP circuit changed');
        },
      })
    : null;
  const sender = mailer
    ? new EmailSender(deps.database, mailer, { appUrl: deps.email!.appUrl, onOutcome: (outcome) => workerMetrics.email(outcome) }, logger)
    : null;

  const relay = new OutboxRelay({
    pool: deps.pool,
    listenUrl: deps.databaseUrl,
    events: DOMAIN_EVENTS,
    routes: outboxRoutes(deps, queues),
    logger,
  });
  const workers = queueWorkers(deps, {
    client,
    queues,
    delivery,
    standardsSync,
    sagas: new SagaRunner(deps.database),
    saga: certificationSaga(deps.database),
    impact,
    inbox,
    mailer,
    sender,
    metrics: workerMetrics,
  });
  const syncWorker = workers.find((worker) => worker.name === QUEUE_NAMES.standardsSync)!;
  syncWorker.on('completed', () => void workerMetrics.syncEnded(true).catch(() => undefined));
  syncWorker.on('failed', () => void workerMetrics.syncEnded(false).catch(() => undefined));
  for (const worker of workers) workerMetrics.watch(worker);
  for (const worker of workers) worker.on('error', (error) => logger.warn({ err: error.message, queue: worker.name }, 'worker error'));

  await relay.start();
  if (deps.schedule) await queues.schedule({ standardsSyncPattern: deps.standardsSyncPattern, reconcileEveryMs: deps.reconcile.everyMs });
  await board.report(deps.workerId, client.circuit).catch(() => undefined);
  const heartbeat = setInterval(() => void board.report(deps.workerId, client.circuit).catch(() => undefined), 10_000);
  heartbeat.unref();

  return {
    queues,
    relay,
    impact,
    client,
    delivery,
    inbox,
    mailer,
    circuitHistory,
    metrics: workerMetrics,
    async stop() {
      clearInterval(heartbeat);
      // Active jobs get `shutdownMs` to finish. Past it the stop goes on without them (a process
      // exits; BullMQ cannot force a close already under way): another worker takes them over
      // once their locks expire, and their effects are idempotent by key.
      const shutdownMs = deps.shutdownMs ?? 25_000;
      let deadline: NodeJS.Timeout | undefined;
      const finished = Promise.all(workers.map((worker) => worker.close())).then(() => 'finished' as const);
      const cutOff = new Promise<'cut-off'>((resolve) => (deadline = setTimeout(() => resolve('cut-off'), shutdownMs)));
      if ((await Promise.race([finished, cutOff])) === 'cut-off')
        logger.warn({ shutdownMs }, 'jobs still running at shutdown: left to another worker');
      clearTimeout(deadline);
      await relay.stop();
      await board.leave(deps.workerId).catch(() => undefined);
      await queues.close();
      client.shutdown();
      mailer?.close();
    },
  };
}

/**
 * Where each domain event goes: a queue, a Redis channel, or both; and, for the events that tell
 * somebody something, a job that makes their notifications. The relay only hands work on: an
 * event's notifications (reads and a transaction) are a worker's job, so the live updates of the
 * events after it do not wait for them.
 */
function outboxRoutes(deps: WorkerDependencies, queues: JobQueues): EventRoutes<DomainEvents> {
  const routes: Record<string, (event: OutboxRecord<never>) => Promise<unknown>> = {
    ...domainRoutes(deps, queues),
  };
  for (const definition of NOTIFYING_EVENTS) {
    const route = routes[definition.type];
    routes[definition.type] = async (event) => {
      // After the event's own route: a paid order's enrollment exists before its notification says so.
      await route?.(event);
      await queues.addNotify({ outboxId: event.id, tenantId: event.tenantId, type: event.type });
    };
  }
  return routes as EventRoutes<DomainEvents>;
}

/** The routes of the events that do something besides notifying. */
function domainRoutes(deps: WorkerDependencies, queues: JobQueues): Partial<EventRoutes<DomainEvents>> {
  const paidEnrollments = new PaidEnrollments(deps.database);
  return {
    // A paid order enrolls its buyer (courses), before the notification says they have access;
    // a refunded one cancels the enrollment. The buyer's live subscriptions follow each change.
    [orderPaid.type]: async (event) => {
      await paidEnrollments.grant(event.tenantId, event.payload);
      await publishOrderStatus(deps, event.tenantId, event.payload, 'PAID');
    },
    [orderFailed.type]: (event) => publishOrderStatus(deps, event.tenantId, event.payload, 'FAILED'),
    [orderRefunded.type]: async (event) => {
      await paidEnrollments.revoke(event.tenantId, event.payload);
      await publishOrderStatus(deps, event.tenantId, event.payload, 'REFUNDED');
    },
    [conocerSubmissionRequested.type]: (event) =>
      queues.addSubmit({ tenantId: event.tenantId, submissionId: event.payload.submissionId }, event.id),
    [conocerStatusChanged.type]: async (event) => {
      await certificationStatusChannel.publish(deps.redis, deps.redisPrefix, event.tenantId, event.payload);
      if (event.payload.status === 'APPROVED')
        await queues.addImpactCertification({ tenantId: event.tenantId, submissionId: event.payload.submissionId });
    },
    [certificateIssued.type]: (event) =>
      queues.addSaga({ saga: 'certification', tenantId: event.tenantId, key: event.payload.certificateId }),
    [certificateRevoked.type]: (event) =>
      queues.addSaga({ saga: 'certification', tenantId: event.tenantId, key: event.payload.certificateId, action: 'compensate' }),
    [impactEventsChanged.type]: (event) => queues.addImpactApply(event.id),
  };
}

const publishOrderStatus = (
  deps: WorkerDependencies,
  tenantId: string,
  order: { orderId: string; buyerId: string },
  status: 'PAID' | 'FAILED' | 'REFUNDED',
) =>
  orderStatusChannel.publish(deps.redis, deps.redisPrefix, tenantId, { tenantId, orderId: order.orderId, buyerId: order.buyerId, status });

interface QueueWork {
  metrics: WorkerMetrics;
  mailer: Mailer | null;
  sender: EmailSender | null;
  client: ConocerClient;
  queues: JobQueues;
  delivery: SubmissionDelivery;
  standardsSync: StandardsSync;
  sagas: SagaRunner;
  saga: ReturnType<typeof certificationSaga>;
  impact: ImpactAggregation;
  inbox: NotificationInbox;
}

/** One BullMQ worker per queue, each running its job in a span that continues the job's trace. */
function queueWorkers(
  deps: WorkerDependencies,
  { client, queues, delivery, standardsSync, sagas, saga, impact, inbox, mailer, sender, metrics }: QueueWork,
): Worker[] {
  const { logger } = deps;
  // A suspended tenant's CONOCER submissions, sagas and emails wait for its reactivation.
  const pause = new TenantPause(deps.database, deps.suspendedRecheckMs);
  const options = {
    connection: deps.queueConnection,
    prefix: queuePrefixOf(deps.redisPrefix),
    concurrency: deps.concurrency,
    lockDuration: deps.lockDurationMs ?? 30_000,
    stalledInterval: deps.stalledIntervalMs ?? 30_000,
    maxStalledCount: 3,
  };
  /** While the breaker is open, the queue waits instead of spending the job's attempts. */
  const unlessCircuitOpen = async (queue: { rateLimit(ms: number): Promise<void> }) => {
    if (client.circuit === 'OPEN') {
      await queue.rateLimit(Math.max(250, deps.conocer.breakerResetMs / 4));
      throw Worker.RateLimitError();
    }
  };
  const submitWorker = new Worker<SubmitJob>(
    QUEUE_NAMES.conocerSubmit,
    inJobSpan(
      QUEUE_NAMES.conocerSubmit,
      pause.pausable(async (job: Job<SubmitJob>) => {
        await unlessCircuitOpen(queues.submit);
        return delivery.submit(job.data);
      }),
    ),
    options,
  );
  submitWorker.on('failed', (job: Job<SubmitJob> | undefined, error: Error) => {
    if (job && job.attemptsMade >= (job.opts.attempts ?? 1))
      void delivery
        .giveUp(job.data, job.attemptsMade, error.message)
        .catch((e: Error) => logger.error({ err: e.message }, 'could not record a failed submission'));
  });
  const pollWorker = new Worker<PollJob>(
    QUEUE_NAMES.conocerPoll,
    inJobSpan(
      QUEUE_NAMES.conocerPoll,
      pause.pausable(async (job: Job<PollJob>) => {
        await unlessCircuitOpen(queues.poll);
        return delivery.poll(job.data);
      }),
    ),
    options,
  );
  const syncWorker = new Worker<StandardsSyncJob>(
    QUEUE_NAMES.standardsSync,
    inJobSpan(QUEUE_NAMES.standardsSync, async (job) => standardsSync.run(job.data.trigger)),
    { ...options, concurrency: 1 },
  );
  const sagaWorker = new Worker<SagaJob>(
    QUEUE_NAMES.sagas,
    inJobSpan(
      QUEUE_NAMES.sagas,
      pause.pausable(async (job: Job<SagaJob>) => {
        const context = { tenantId: job.data.tenantId, certificateId: job.data.key };
        const run =
          job.data.action === 'compensate'
            ? await sagas.compensate(saga, job.data.tenantId, job.data.key, context, 'certificate revoked')
            : await sagas.run(saga, job.data.tenantId, job.data.key, context, job.attemptsMade + 1 >= (job.opts.attempts ?? 1));
        return run.status;
      }),
    ),
    options,
  );
  const orders = new OrderReconciliation(deps.database, deps.payments, logger);
  const maintenanceWorker = new Worker<MaintenanceJob>(
    QUEUE_NAMES.maintenance,
    inJobSpan(QUEUE_NAMES.maintenance, async (job) => {
      if (job.data.task === 'reconcile-conocer') return delivery.reconcile(deps.reconcile);
      // PENDING orders whose webhook may have been lost, asked of the provider.
      if (job.data.task === 'reconcile-orders') return orders.reconcile({ olderThanMs: deps.reconcile.pendingOlderThanMs });
      if (job.data.task === 'reconcile-email') {
        // Emails whose job was lost (a crash between the notification and its job): queued again.
        const stale = sender ? await sender.stale(deps.reconcile.pendingOlderThanMs) : [];
        let requeued = 0;
        for (const one of stale) {
          // One waiting for its next attempt (a long SMTP outage) has its job.
          if (await queues.hasEmailJob(one.notificationId)) continue;
          await queues.addEmail(one);
          requeued += 1;
        }
        metrics.emailRequeued(requeued);
        return requeued;
      }
      if (job.data.task === 'delete-abandoned-uploads') {
        const result = await deleteAbandonedUploads(deps.database, deps.storage, {});
        metrics.uploadsCleaned(result);
        return result.deleted;
      }
      const rows = await deps.database.prisma.$queryRaw<
        { pruned: bigint }[]
      >`SELECT app_outbox_prune(${new Date(Date.now() - 7 * 86_400_000)}) AS pruned`;
      return Number(rows[0]?.pruned ?? 0);
    }),
    { ...options, concurrency: 1 },
  );
  // One at a time: applying and rolling up serialize in the database anyway.
  const impactWorker = new Worker<ImpactJob>(
    QUEUE_NAMES.impact,
    inJobSpan(QUEUE_NAMES.impact, async (job) => {
      switch (job.data.task) {
        case 'apply':
          return impact.applyPending();
        case 'rollup':
          return impact.rollup(job.data.granularities, rollupSince(job.data.sinceDays));
        case 'certification':
          return recordCertificationImpact(deps.database, job.data.tenantId, job.data.submissionId);
      }
    }),
    { ...options, concurrency: 1, lockDuration: Math.max(options.lockDuration, 120_000) },
  );
  const notifying = new Map<string, NotifyingEvent>(NOTIFYING_EVENTS.map((definition) => [definition.type, definition]));
  const notifyWorker = new Worker<NotifyJob>(
    QUEUE_NAMES.notify,
    inJobSpan(QUEUE_NAMES.notify, async (job) => {
      const { outboxId, tenantId, type } = job.data;
      const definition = notifying.get(type);
      // Only the relay adds these jobs, for these events: anything else is a bug, failed at once to be seen.
      if (!definition) throw new UnrecoverableError(`notify job for an event that notifies nobody: ${type}`);
      const [row] = await deps.database.forTenant(tenantId).sql<OutboxRow>(
        `SELECT id::text, tenant_id, type, aggregate_type, aggregate_id, payload, created_at, traceparent
           FROM outbox_events WHERE tenant_id = $1 AND id = $2`,
        [tenantId, outboxId],
      );
      // Pruned (published more than a week ago): a job that waited that long has nothing left to tell.
      if (!row) {
        logger.warn({ outboxId, type }, 'notify job for an outbox event no longer kept: skipped');
        return 0;
      }
      let event: OutboxRecord;
      try {
        event = outboxRecordOf(row, definition);
      } catch (error) {
        throw new UnrecoverableError(
          `outbox event ${outboxId} (${type}) has a payload its definition cannot read: ${(error as Error).message}`,
        );
      }
      const { created } = await inbox.deliver(definition, event);
      return created;
    }),
    // One at a time per process: the events of a burst are told in the order the relay routed them
    // (a retried one, or another process's, may come later).
    { ...options, concurrency: 1, settings: { backoffStrategy: notifyBackoff } },
  );
  const workers: Worker[] = [submitWorker, pollWorker, syncWorker, sagaWorker, maintenanceWorker, impactWorker, notifyWorker];
  if (mailer && sender) {
    const emailWorker = new Worker<EmailJob>(
      QUEUE_NAMES.email,
      inJobSpan(
        QUEUE_NAMES.email,
        pause.pausable(async (job: Job<EmailJob>) => {
          // While the SMTP breaker is open, the queue waits instead of spending the job's attempts.
          if (mailer.circuit === 'OPEN') {
            await queues.email.rateLimit(Math.max(250, deps.email!.breakerResetMs / 4));
            throw Worker.RateLimitError();
          }
          return sender.send(job.data, job.attemptsMade + 1 >= (job.opts.attempts ?? 1));
        }),
      ),
      { ...options, settings: { backoffStrategy: emailBackoff(queues.emailTuning) } },
    );
    workers.push(emailWorker as unknown as Worker);
  }
  return workers;
}

/** A job's work in a span that continues the trace the job was added in. */
function inJobSpan<Data extends Traced, Result>(
  queue: string,
  work: (job: Job<Data>, token?: string) => Promise<Result>,
): (job: Job<Data>, token?: string) => Promise<Result> {
  return (job, token) =>
    inSpan(
      `job ${queue}`,
      {
        kind: SpanKind.CONSUMER,
        parent: contextOfTraceparent(job.data.traceparent),
        attributes: {
          'messaging.system': 'bullmq',
          'messaging.destination.name': queue,
          'messaging.message.id': job.id,
          'academy.job.attempt': job.attemptsMade + 1,
        },
      },
      () => work(job, token),
    );
}

/** /health/live and /health/ready for the process (ready: the database and Redis answer), and /metrics. */
export function healthServer(database: Database, metrics?: WorkerMetrics, redis?: Redis): http.Server {
  return http.createServer((req, res) => {
    void (async () => {
      if (req.url === '/metrics' && metrics) return metrics.service.respond(res);
      const ready =
        req.url === '/health/live' ||
        (await Promise.all([database.prisma.$queryRaw`SELECT 1`, redis?.ping()]).then(
          () => true,
          () => false,
        ));
      res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: ready ? 'ready' : 'not ready' }));
    })();
  });
}
