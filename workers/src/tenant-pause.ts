import { DelayedError, type Job } from 'bullmq';
import type { Database } from '@academy/platform';

/** How long a suspended tenant's job waits before it looks again. */
export const SUSPENDED_RECHECK_MS = 60_000;
/** How long this process trusts a tenant's status it read. */
const STATUS_MEMORY_MS = 5_000;

/**
 * A suspended tenant's jobs wait: each is moved back to the delayed set (its attempts
 * untouched) and looks again a minute later, until the tenant is reactivated.
 */
export class TenantPause {
  private readonly known = new Map<string, { suspended: boolean; until: number }>();

  constructor(
    private readonly database: Database,
    private readonly recheckMs = SUSPENDED_RECHECK_MS,
  ) {}

  async suspended(tenantId: string): Promise<boolean> {
    const cached = this.known.get(tenantId);
    if (cached && cached.until > Date.now()) return cached.suspended;
    const rows = await this.database.prisma.$queryRaw<{ status: string | null }[]>`
      SELECT app_tenant_status(${tenantId}::uuid)::text AS status`;
    const suspended = rows[0]?.status === 'SUSPENDED';
    this.known.set(tenantId, { suspended, until: Date.now() + STATUS_MEMORY_MS });
    if (this.known.size > 10_000) this.known.delete(this.known.keys().next().value!);
    return suspended;
  }

  /** The processor, made to wait while its job's tenant is suspended. */
  pausable<Data extends { tenantId: string }, Result>(
    work: (job: Job<Data>, token?: string) => Promise<Result>,
  ): (job: Job<Data>, token?: string) => Promise<Result> {
    return async (job, token) => {
      if (await this.suspended(job.data.tenantId)) {
        await job.moveToDelayed(Date.now() + this.recheckMs, token);
        throw new DelayedError();
      }
      return work(job, token);
    };
  }
}
