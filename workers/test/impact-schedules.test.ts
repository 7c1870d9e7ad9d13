import { randomBytes } from 'node:crypto';
import { JobQueues } from '@academy/jobs';
import { testEnvironment } from '@academy/testing';

describe('impact job schedulers', () => {
  const environment = testEnvironment();
  const url = new URL(environment.REDIS_URL);
  const queues = new JobQueues(
    { host: url.hostname, port: Number(url.port || 6379) },
    `academy:test:${environment.TEST_RUN_ID}:${randomBytes(3).toString('hex')}:bull`,
  );
  afterAll(async () => {
    await queues.impact.obliterate({ force: true });
    for (const queue of [queues.standardsSync, queues.maintenance]) await queue.obliterate({ force: true });
    await queues.close();
  });

  it('roll up daily, weekly and monthly (UTC), and sweep pending changes every minute, once per cluster', async () => {
    const schedule = () => queues.schedule({ standardsSyncPattern: '0 3 * * *', reconcileEveryMs: 60_000 });
    await schedule();
    await schedule(); // a second worker process registers the same schedulers: still one each
    const schedulers = (await queues.impact.getJobSchedulers()).map(({ key, pattern, every, tz, template }) => ({
      key,
      pattern,
      every,
      tz,
      data: template?.data,
    }));
    expect(schedulers.sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: 'impact-apply-sweep', pattern: undefined, every: 60_000, tz: undefined, data: { task: 'apply' } },
      {
        key: 'impact-rollup-daily',
        pattern: '10 2 * * *',
        every: undefined,
        tz: 'UTC',
        data: { task: 'rollup', granularities: ['DAY', 'WEEK'], sinceDays: 8 },
      },
      {
        key: 'impact-rollup-monthly',
        pattern: '30 2 1 * *',
        every: undefined,
        tz: 'UTC',
        data: { task: 'rollup', granularities: ['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR', 'ALL_TIME'], sinceDays: null },
      },
      {
        key: 'impact-rollup-weekly',
        pattern: '20 2 * * 1',
        every: undefined,
        tz: 'UTC',
        data: { task: 'rollup', granularities: ['MONTH', 'QUARTER'], sinceDays: 35 },
      },
    ]);
  });
});
