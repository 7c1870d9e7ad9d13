import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import { sampleValue, scrape, startSupergraph, type RunningSupergraph } from '@academy/testing';
import { healthServer } from '../src/workers';

/** What the workers tell Prometheus: queue depths, jobs, the CONOCER circuit, failed syncs in a row. */
describe('worker metrics', () => {
  let supergraph: RunningSupergraph;
  let server: http.Server;
  let metricsUrl: string;
  beforeAll(async () => {
    supergraph = await startSupergraph({ isolated: true, conocer: { tuning: { backoffMs: 20 } } });
    server = healthServer(supergraph.db.database, supergraph.workers!.metrics);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    metricsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  });
  afterAll(async () => {
    server?.close();
    await supergraph?.close();
  });

  const sync = async (id: string) => {
    const events = supergraph.queues.events('standards-sync');
    try {
      await events.waitUntilReady();
      const job = await supergraph.queues.addStandardsSync({ trigger: 'manual' }, id);
      await job.waitUntilFinished(events, 20_000).catch(() => undefined);
    } finally {
      await events.close();
    }
  };

  it('counts standards syncs that failed in a row (3 attempts of a run while CONOCER is down), and starts over after a success', async () => {
    supergraph.sandbox!.setFaults({ outage: true });
    await sync('metrics-sync-down');
    let metrics = await scrape(metricsUrl);
    expect(sampleValue(metrics, 'academy_standards_sync_consecutive_failures', { service: 'workers' })).toBe(3);
    expect(sampleValue(metrics, 'academy_jobs_total', { queue: 'standards-sync', outcome: 'failed' })).toBe(3);
    supergraph.sandbox!.setFaults({ outage: false });
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the breaker's reset timeout
    await sync('metrics-sync-up');
    metrics = await scrape(metricsUrl);
    expect(sampleValue(metrics, 'academy_standards_sync_consecutive_failures')).toBe(0);
    expect(sampleValue(metrics, 'academy_jobs_total', { queue: 'standards-sync', outcome: 'completed' })).toBe(1);
    expect(sampleValue(metrics, 'academy_job_duration_seconds_count', { queue: 'standards-sync' })).toBe(4);
  }, 60_000);

  it('reports the depth of every queue by state', async () => {
    await supergraph.queues.maintenance.pause();
    await supergraph.queues.maintenance.add('reconcile', { task: 'reconcile-conocer' });
    await supergraph.queues.maintenance.add('reconcile', { task: 'reconcile-conocer' });
    const metrics = await scrape(metricsUrl);
    expect(sampleValue(metrics, 'academy_queue_jobs', { queue: 'maintenance', state: 'waiting' })).toBe(2);
    for (const queue of ['conocer-submit', 'conocer-poll', 'standards-sync', 'sagas', 'impact']) {
      expect([queue, sampleValue(metrics, 'academy_queue_jobs', { queue, state: 'active' })]).toEqual([queue, expect.any(Number)]);
    }
    expect(sampleValue(metrics, 'academy_conocer_circuit_state')).toEqual(expect.any(Number));
    await supergraph.queues.maintenance.obliterate({ force: true });
  });
});
