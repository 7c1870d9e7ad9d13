import { currentTraceparent } from '@academy/telemetry';
import { Queue, QueueEvents, type ConnectionOptions, type JobsOptions } from 'bullmq';

export const QUEUE_NAMES = {
  conocerSubmit: 'conocer-submit',
  conocerPoll: 'conocer-poll',
  standardsSync: 'standards-sync',
  sagas: 'sagas',
  maintenance: 'maintenance',
  impact: 'impact',
  email: 'email',
  notify: 'notify',
} as const;

/**
 * Every job carries the trace it was added in (W3C traceparent), so its work continues the
 * request (or outbox event) that caused it; JobQueues adds it.
 */
export interface Traced {
  traceparent?: string | undefined;
}

/** Deliver one CONOCER submission (idempotency key: the submission id). */
export interface SubmitJob extends Traced {
  tenantId: string;
  submissionId: string;
}

/** Ask CONOCER for a submitted request's status; `round` grows the delay to the next one. */
export interface PollJob extends Traced {
  tenantId: string;
  submissionId: string;
  round: number;
}

export interface StandardsSyncJob extends Traced {
  trigger: 'schedule' | 'manual';
  requestedBy?: string;
}

export interface SagaJob extends Traced {
  saga: 'certification';
  tenantId: string;
  /** What the saga is about: for certification, the certificate id. */
  key: string;
  /** `compensate` undoes a finished run (its certificate was revoked). */
  action?: 'run' | 'compensate';
}

export type MaintenanceJob = (
  | { task: 'reconcile-conocer' }
  | { task: 'prune-outbox' }
  | { task: 'reconcile-email' }
  | { task: 'delete-abandoned-uploads' }
  /** PENDING orders asked of the payment provider (a lost webhook). */
  | { task: 'reconcile-orders' }
) &
  Traced;

/** Send the email of one notification (idempotency key: the notification id). */
export interface EmailJob extends Traced {
  tenantId: string;
  notificationId: string;
}

/**
 * Turn one domain event into its notifications (idempotency key: the outbox event id; the
 * inbox makes each recipient's notification once however often it is asked). Only the event's
 * ids: the worker reads the event from the outbox (an invitation's or a password reset's payload
 * holds its one-time link, which has no business in Redis).
 */
export interface NotifyJob extends Traced {
  outboxId: string;
  tenantId: string;
  type: string;
}

/** How notify jobs are retried: doubling from 1 s, at most a minute apart, for about 16 hours. */
export const NOTIFY_ATTEMPTS = 1_000;
export function notifyBackoff(attemptsMade: number): number {
  const delay = Math.min(60_000, 1_000 * 2 ** Math.min(attemptsMade - 1, 10));
  return Math.round(delay * (0.75 + Math.random() * 0.5));
}

/** How email is retried: attempts, and the first delay (it doubles, up to maxBackoffMs). */
export interface EmailTuning {
  attempts: number;
  backoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_EMAIL_TUNING: EmailTuning = { attempts: 20, backoffMs: 5_000, maxBackoffMs: 600_000 };

const emailJobId = (notificationId: string) => `email-${notificationId}`;

/** BullMQ's custom backoff of the email queue: doubling from backoffMs, capped, with jitter (a long outage is retried for hours). */
export function emailBackoff(tuning: EmailTuning): (attemptsMade: number) => number {
  return (attemptsMade) => {
    const delay = Math.min(tuning.maxBackoffMs, tuning.backoffMs * 2 ** Math.min(attemptsMade - 1, 20));
    return Math.round(delay * (0.75 + Math.random() * 0.5));
  };
}

/** Aggregation granularities (impact_aggregates), as the database names them. */
export type ImpactGranularity = 'DAY' | 'WEEK' | 'MONTH' | 'QUARTER' | 'YEAR' | 'ALL_TIME';

/**
 * Impact work: apply pending changes to the aggregates (after every change, and every minute in
 * case a wake-up was lost); roll up (recompute and repair) buckets of some granularities from
 * `sinceDays` ago (null: from the beginning); record a CONOCER certification as impact.
 */
export type ImpactJob = (
  | { task: 'apply' }
  | { task: 'rollup'; granularities: ImpactGranularity[]; sinceDays: number | null }
  | { task: 'certification'; tenantId: string; submissionId: string }
) &
  Traced;

/** The job with the active trace context (when there is one). */
function traced<T extends Traced>(job: T): T {
  const traceparent = job.traceparent ?? currentTraceparent();
  return traceparent ? { ...job, traceparent } : job;
}

/** The scheduled rollups: each repairs drift in its buckets; the monthly one rebuilds everything. */
export const IMPACT_ROLLUPS = [
  { id: 'impact-rollup-daily', pattern: '10 2 * * *', job: { task: 'rollup', granularities: ['DAY', 'WEEK'], sinceDays: 8 } },
  { id: 'impact-rollup-weekly', pattern: '20 2 * * 1', job: { task: 'rollup', granularities: ['MONTH', 'QUARTER'], sinceDays: 35 } },
  {
    id: 'impact-rollup-monthly',
    pattern: '30 2 1 * *',
    job: { task: 'rollup', granularities: ['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR', 'ALL_TIME'], sinceDays: null },
  },
] as const satisfies readonly { id: string; pattern: string; job: ImpactJob }[];

export interface DeliveryTuning {
  /** Delivery attempts before a submission is FAILED. */
  submitAttempts: number;
  /** First retry delay; it doubles each time, with up to 50 % jitter. */
  backoffMs: number;
  /** First status poll after SUBMITTED; it doubles each round up to pollMaxMs. */
  pollMs: number;
  pollMaxMs: number;
}

export const DEFAULT_TUNING: DeliveryTuning = { submitAttempts: 8, backoffMs: 2_000, pollMs: 2_000, pollMaxMs: 60_000 };

const KEEP: Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'> = { removeOnComplete: { count: 1000 }, removeOnFail: { count: 5000 } };

/**
 * The queues, typed: every producer (subgraphs, the outbox relay, workers) adds jobs here, with
 * deterministic job ids (BullMQ refuses a second job with the same id while the first exists).
 */
export class JobQueues {
  readonly submit: Queue<SubmitJob>;
  readonly poll: Queue<PollJob>;
  readonly standardsSync: Queue<StandardsSyncJob>;
  readonly sagas: Queue<SagaJob>;
  readonly maintenance: Queue<MaintenanceJob>;
  readonly impact: Queue<ImpactJob>;
  readonly email: Queue<EmailJob>;
  readonly notify: Queue<NotifyJob>;

  constructor(
    readonly connection: ConnectionOptions,
    readonly prefix: string,
    readonly tuning: DeliveryTuning = DEFAULT_TUNING,
    readonly emailTuning: EmailTuning = DEFAULT_EMAIL_TUNING,
  ) {
    const options = { connection, prefix };
    this.submit = new Queue(QUEUE_NAMES.conocerSubmit, options);
    this.poll = new Queue(QUEUE_NAMES.conocerPoll, options);
    this.standardsSync = new Queue(QUEUE_NAMES.standardsSync, options);
    this.sagas = new Queue(QUEUE_NAMES.sagas, options);
    this.maintenance = new Queue(QUEUE_NAMES.maintenance, options);
    this.impact = new Queue(QUEUE_NAMES.impact, options);
    this.email = new Queue(QUEUE_NAMES.email, options);
    this.notify = new Queue(QUEUE_NAMES.notify, options);
  }

  /** Every queue, for those who watch or close them all. */
  get all(): Queue[] {
    return [this.submit, this.poll, this.standardsSync, this.sagas, this.maintenance, this.impact, this.email, this.notify] as Queue[];
  }

  /**
   * Errors of the queues' Redis connections (Redis down or restarting: BullMQ reconnects by
   * itself) go to `listener`; without one BullMQ prints each with its stack trace.
   */
  onError(listener: (error: Error, queue: string) => void): void {
    for (const queue of this.all) queue.on('error', (error) => listener(error, queue.name));
  }

  /** `deliveryId` distinguishes rounds of the same submission (a retry after FAILED is a new round). */
  addSubmit(job: SubmitJob, deliveryId: string): Promise<unknown> {
    return this.submit.add('submit', traced(job), {
      jobId: `submit-${job.submissionId}-${deliveryId}`,
      attempts: this.tuning.submitAttempts,
      backoff: { type: 'exponential', delay: this.tuning.backoffMs, jitter: 0.5 },
      ...KEEP,
    });
  }

  addPoll(job: PollJob): Promise<unknown> {
    const delay = Math.min(this.tuning.pollMaxMs, this.tuning.pollMs * 2 ** Math.min(job.round, 16));
    return this.poll.add('poll', traced(job), {
      jobId: `poll-${job.submissionId}-${job.round}`,
      delay,
      // A poll that cannot reach CONOCER keeps trying: the request is already there.
      attempts: 30,
      backoff: { type: 'exponential', delay: this.tuning.backoffMs, jitter: 0.5 },
      ...KEEP,
    });
  }

  addStandardsSync(job: StandardsSyncJob, jobId = `standards-sync-${Date.now()}`): Promise<import('bullmq').Job<StandardsSyncJob>> {
    return this.standardsSync.add('sync', traced(job), {
      jobId,
      attempts: 3,
      backoff: { type: 'exponential', delay: this.tuning.backoffMs },
      ...KEEP,
    });
  }

  addSaga(job: SagaJob): Promise<unknown> {
    return this.sagas.add(job.saga, traced(job), {
      jobId: `saga-${job.saga}-${job.key}${job.action === 'compensate' ? '-compensate' : ''}`,
      attempts: 5,
      backoff: { type: 'exponential', delay: this.tuning.backoffMs, jitter: 0.5 },
      ...KEEP,
    });
  }

  /** Aggregates what changed; `wakeId` (the outbox event's id) makes a redelivered wake-up one job. */
  addImpactApply(wakeId: string): Promise<unknown> {
    return this.impact.add('apply', traced<ImpactJob>({ task: 'apply' }), {
      jobId: `impact-apply-${wakeId}`,
      attempts: 5,
      backoff: { type: 'exponential', delay: this.tuning.backoffMs },
      removeOnComplete: true,
      removeOnFail: { count: 1000 },
    });
  }

  /** Records a certification's impact (idempotent: the event's source key is the submission). */
  addImpactCertification(job: { tenantId: string; submissionId: string }): Promise<unknown> {
    return this.impact.add('certification', traced<ImpactJob>({ task: 'certification', ...job }), {
      jobId: `impact-certification-${job.submissionId}`,
      attempts: 5,
      backoff: { type: 'exponential', delay: this.tuning.backoffMs, jitter: 0.5 },
      ...KEEP,
    });
  }

  /** The email of a notification; a second add while the first job exists is the same job. */
  addEmail(job: EmailJob): Promise<unknown> {
    return this.email.add('send', traced(job), {
      jobId: emailJobId(job.notificationId),
      attempts: this.emailTuning.attempts,
      backoff: { type: 'email' },
      ...KEEP,
    });
  }

  /**
   * The notifications of a domain event, made by a worker (not by the outbox relay, whose next
   * events would wait for them); the event delivered again while its job exists is the same job.
   */
  addNotify(job: NotifyJob): Promise<unknown> {
    return this.notify.add('notify', traced(job), {
      jobId: `notify-${job.outboxId}`,
      attempts: NOTIFY_ATTEMPTS,
      backoff: { type: 'notify' },
      ...KEEP,
    });
  }

  /** Whether the email of a notification has a job (waiting, delayed, active or kept after it ran). */
  async hasEmailJob(notificationId: string): Promise<boolean> {
    return (await this.email.getJob(emailJobId(notificationId))) !== undefined;
  }

  /** Daily standards sync and the periodic maintenance, as BullMQ job schedulers (one per cluster). */
  async schedule(options: { standardsSyncPattern: string; reconcileEveryMs: number }): Promise<void> {
    await this.standardsSync.upsertJobScheduler(
      'standards-sync-daily',
      { pattern: options.standardsSyncPattern },
      { name: 'sync', data: { trigger: 'schedule' } },
    );
    await this.maintenance.upsertJobScheduler(
      'reconcile-conocer',
      { every: options.reconcileEveryMs },
      { name: 'reconcile-conocer', data: { task: 'reconcile-conocer' } },
    );
    await this.maintenance.upsertJobScheduler(
      'prune-outbox',
      { every: 3_600_000 },
      { name: 'prune-outbox', data: { task: 'prune-outbox' } },
    );
    await this.maintenance.upsertJobScheduler(
      'reconcile-email',
      { every: options.reconcileEveryMs },
      { name: 'reconcile-email', data: { task: 'reconcile-email' } },
    );
    await this.maintenance.upsertJobScheduler(
      'reconcile-orders',
      { every: options.reconcileEveryMs },
      { name: 'reconcile-orders', data: { task: 'reconcile-orders' } },
    );
    await this.maintenance.upsertJobScheduler(
      'delete-abandoned-uploads',
      { every: 900_000 },
      { name: 'delete-abandoned-uploads', data: { task: 'delete-abandoned-uploads' } },
    );
    await this.impact.upsertJobScheduler('impact-apply-sweep', { every: 60_000 }, { name: 'apply', data: { task: 'apply' } });
    for (const rollup of IMPACT_ROLLUPS) {
      await this.impact.upsertJobScheduler(
        rollup.id,
        { pattern: rollup.pattern, tz: 'UTC' },
        { name: 'rollup', data: { ...rollup.job, granularities: [...rollup.job.granularities] } },
      );
    }
  }

  events(name: (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES]): QueueEvents {
    return new QueueEvents(name, { connection: this.connection, prefix: this.prefix });
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((queue) => queue.close()));
  }
}
