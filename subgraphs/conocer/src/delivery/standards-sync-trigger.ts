import type { QueueEvents } from 'bullmq';
import type { JobQueues } from '@academy/jobs';
import type { Logger } from '@academy/platform';
import type { StandardsSyncTrigger } from '../context';

/** `syncCompetencyStandards`: a manual sync job for the workers, waited for up to `waitMs`. */
export class QueuedStandardsSync implements StandardsSyncTrigger {
  constructor(
    private readonly queues: JobQueues,
    private readonly events: QueueEvents,
    private readonly logger: Logger,
    private readonly waitMs = 30_000,
  ) {}

  async syncNow(requestedBy: string): Promise<void> {
    const job = await this.queues.addStandardsSync({ trigger: 'manual', requestedBy });
    await job.waitUntilFinished(this.events, this.waitMs).catch((error: Error) => {
      // Still running, or failed (the run records why): the status tells the caller where it stands.
      this.logger.warn({ err: error.message }, 'manual standards sync not finished');
    });
  }
}
