import pg from 'pg';
import { createLogger } from '@academy/platform';
import { createCompliantCourse, createTenant, startSupergraph, until, type RunningSupergraph } from '@academy/testing';
import { ConocerClient, SubmissionDelivery, SubmissionRepository } from '../src';
import { certificateOf, CURP } from './fixtures';

/** Delivery to CONOCER (the sandbox) when two runs of one submission's job meet (a job delivered twice, a stalled one taken over). */
describe('CONOCER delivery', () => {
  let supergraph: RunningSupergraph;
  beforeAll(async () => {
    supergraph = await startSupergraph({ isolated: true, conocer: { workers: false } });
  }, 120_000);
  afterAll(() => supergraph?.close());

  it('leaves a submission that another run moved while this one waited for its row: CONOCER is not asked, no status is written', async () => {
    const database = supergraph.db.database;
    const fixture = await createTenant(database);
    const db = database.forTenant(fixture.tenant.id);
    await db.run((tx) => tx.user.update({ where: { id: fixture.users.LEARNER.id }, data: { curp: CURP } }));
    const course = await createCompliantCourse(database, fixture);
    const certificate = await certificateOf(database, fixture, course.id);
    const submission = await new SubmissionRepository(db).request({
      certificateId: certificate.id,
      standardCode: 'EC0217.01',
      requestedById: fixture.users.LEARNER.id,
    });
    const delivery = new SubmissionDelivery(
      database,
      new ConocerClient({
        baseUrl: supergraph.sandboxUrl!,
        clientId: supergraph.sandbox!.options.clientId,
        clientSecret: supergraph.sandbox!.options.clientSecret,
        timeoutMs: 5_000,
      }),
      supergraph.queues,
      createLogger({ service: 'test', level: 'silent' }),
    );

    // The other run holds the row: it is moving the submission to SUBMITTED, not committed yet.
    const other = new pg.Client({ connectionString: supergraph.db.ownerUrl });
    const observer = new pg.Client({ connectionString: supergraph.db.ownerUrl });
    await Promise.all([other.connect(), observer.connect()]);
    try {
      await other.query('BEGIN');
      await other.query("UPDATE conocer_submissions SET status = 'SUBMITTED', folio = 'CONOCER-OTRA' WHERE id = $1", [submission.id]);
      const running = delivery.submit({ tenantId: fixture.tenant.id, submissionId: submission.id });
      // This run waits for the row; then the other one commits.
      const waiting = await until(
        async () =>
          (
            await observer.query<{ n: number }>(
              "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
            )
          ).rows[0]!.n,
        (count) => count > 0,
        { timeoutMs: 10_000 },
      );
      expect(waiting).toBe(1);
      await other.query('COMMIT');

      expect(await running).toBe('skipped');
      expect(supergraph.sandbox!.stats().attemptsByKey[submission.id]).toBeUndefined();
      const history = await db.run((tx) =>
        tx.conocerStatusChange.findMany({ where: { submissionId: submission.id }, select: { previousStatus: true, status: true } }),
      );
      expect(history).toEqual([{ previousStatus: 'NOT_REQUESTED', status: 'PENDING' }]);
    } finally {
      await other.end();
      await observer.end();
    }
  });
});
