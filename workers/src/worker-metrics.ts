import type { Job, Queue, Worker } from 'bullmq';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Redis } from '@academy/platform';
import { LATENCY_BUCKETS, ServiceMetrics } from '@academy/telemetry';
import type { CircuitState } from '@academy/subgraph-conocer';

const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed'] as const;
const CIRCUIT = { CLOSED: 0, HALF_OPEN: 1, OPEN: 2 } as const;

/**
 * What the workers report at their /metrics: queue depths (read from Redis when scraped: the
 * same for every replica), jobs done and failed with their durations, the CONOCER circuit as
 * this process sees it, and consecutive failed standards syncs (kept in Redis: any replica may
 * run the next sync); emails by outcome and the SMTP circuit; the cleanup of abandoned uploads.
 */
export class WorkerMetrics {
  readonly service = new ServiceMetrics('workers');
  private readonly jobs: Counter<'queue' | 'outcome'>;
  private readonly jobDuration: Histogram<'queue'>;
  readonly conocerCircuit: Gauge;
  private readonly emails: Counter<'outcome'>;
  readonly smtpCircuit: Gauge;
  private readonly emailsRequeued: Counter;
  private readonly abandonedUploads: Gauge;
  private readonly uploadsDeleted: Counter;
  private readonly uploadsCleanupRun: Gauge;

  constructor(
    queues: Queue[],
    private readonly redis: Redis,
    private readonly syncFailuresKey: string,
  ) {
    const registers = [this.service.registry];
    new Gauge({
      name: 'academy_queue_jobs',
      help: 'Jobs in a BullMQ queue, by state',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        for (const queue of queues) {
          const counts = await queue.getJobCounts(...JOB_STATES);
          for (const state of JOB_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        }
      },
    });
    this.jobs = new Counter({
      name: 'academy_jobs_total',
      help: 'Jobs finished by this process, by queue and outcome (completed, failed)',
      labelNames: ['queue', 'outcome'],
      registers,
    });
    this.jobDuration = new Histogram({
      name: 'academy_job_duration_seconds',
      help: 'Time a job ran, from start to finish',
      labelNames: ['queue'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.emails = new Counter({
      name: 'academy_emails_total',
      help: 'Emails of notifications by outcome: sent, already-sent, skipped (preferences), rejected (address refused), failed (given up), retry',
      labelNames: ['outcome'],
      registers,
    });
    this.conocerCircuit = new Gauge({
      name: 'academy_conocer_circuit_state',
      help: "This process's CONOCER circuit breaker: 0 closed, 1 half-open, 2 open",
      registers,
    });
    this.smtpCircuit = new Gauge({
      name: 'academy_smtp_circuit_state',
      help: "This process's SMTP circuit breaker: 0 closed, 1 half-open, 2 open (emails wait)",
      registers,
    });
    this.emailsRequeued = new Counter({
      name: 'academy_emails_requeued_total',
      help: 'Emails found PENDING without a job by the reconciliation, and queued again',
      registers,
    });
    this.abandonedUploads = new Gauge({
      name: 'academy_media_abandoned_uploads',
      help: 'Uploads past their URL (never completed, or refused) the last cleanup found',
      registers,
    });
    this.uploadsDeleted = new Counter({
      name: 'academy_media_uploads_deleted_total',
      help: 'Abandoned uploads deleted (their row and bytes)',
      registers,
    });
    this.uploadsCleanupRun = new Gauge({
      name: 'academy_media_cleanup_last_run_timestamp_seconds',
      help: 'When this process last ran the cleanup of abandoned uploads (Unix time)',
      registers,
    });
    const failuresKey = syncFailuresKey;
    const client = redis;
    new Gauge({
      name: 'academy_standards_sync_consecutive_failures',
      help: 'Standards syncs that failed in a row since the last one that succeeded (any replica)',
      registers,
      async collect() {
        this.set(Number((await client.get(failuresKey).catch(() => null)) ?? 0));
      },
    });
  }

  watch(worker: Worker): void {
    const finished = (outcome: 'completed' | 'failed') => (job: Job | undefined) => {
      this.jobs.inc({ queue: worker.name, outcome });
      // An attempt that will be retried has no finishedOn.
      if (job?.processedOn) this.jobDuration.observe({ queue: worker.name }, ((job.finishedOn ?? Date.now()) - job.processedOn) / 1000);
    };
    worker.on('completed', finished('completed'));
    worker.on('failed', finished('failed'));
  }

  email(outcome: string): void {
    this.emails.inc({ outcome });
  }

  smtp(state: CircuitState): void {
    this.smtpCircuit.set(CIRCUIT[state]);
  }

  emailRequeued(count: number): void {
    this.emailsRequeued.inc(count);
  }

  uploadsCleaned(result: { found: number; deleted: number }): void {
    this.abandonedUploads.set(result.found);
    this.uploadsDeleted.inc(result.deleted);
    this.uploadsCleanupRun.set(Date.now() / 1000);
  }

  circuit(state: CircuitState): void {
    this.conocerCircuit.set(CIRCUIT[state]);
  }

  /** A standards sync ended: a success resets the count, a failure adds one. */
  async syncEnded(ok: boolean): Promise<void> {
    if (ok) await this.redis.set(this.syncFailuresKey, '0');
    else await this.redis.incr(this.syncFailuresKey);
  }
}
