import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { SubmissionRepository } from '@academy/subgraph-conocer';
import {
  createCompliantCourse,
  createTenant,
  startRedisCluster,
  startSupergraph,
  until,
  type RunningRedisCluster,
  type RunningSupergraph,
} from '@academy/testing';

const ROOT = path.resolve(__dirname, '../..');
/** Waits (30 s at most) for `check` to give something, which it returns; fails naming what it waited for. */
async function waitFor<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const value = await until(check, Boolean, { timeoutMs, everyMs: 100 });
  if (!value) throw new Error(`timed out waiting for ${what}`);
  return value;
}

/** A learner's certificate of a compliant course, and its CONOCER submission requested (the job queued). */
async function submissionReady(supergraph: RunningSupergraph, verificationCode: string) {
  const fixture = await createTenant(supergraph.db.database);
  const db = supergraph.db.database.forTenant(fixture.tenant.id);
  const course = await createCompliantCourse(supergraph.db.database, fixture);
  const certificate = await db.run(async (tx) => {
    await tx.user.update({ where: { id: fixture.users.LEARNER.id }, data: { curp: 'HEGG560427MVZRRL04' } });
    const enrollment = await tx.enrollment.create({
      data: {
        tenantId: fixture.tenant.id,
        courseId: course.id,
        learnerId: fixture.users.LEARNER.id,
        status: 'COMPLETED',
        finalScore: 96,
        completedAt: new Date(),
      },
    });
    return tx.certificate.create({
      data: {
        tenantId: fixture.tenant.id,
        learnerId: fixture.users.LEARNER.id,
        courseId: course.id,
        enrollmentId: enrollment.id,
        verificationCode,
        credential: {},
      },
    });
  });
  const submission = await new SubmissionRepository(db).request({
    certificateId: certificate.id,
    standardCode: 'EC0217.01',
    requestedById: fixture.users.LEARNER.id,
  });
  return { db, fixture, submission };
}

// On the run's Redis, and on a Redis Cluster of three masters (BullMQ's keys hash-tagged into one slot).
describe.each([
  { on: 'one Redis', cluster: false },
  { on: 'a Redis Cluster', cluster: true },
])('a worker killed in the middle of a job, on $on', ({ cluster: onCluster }) => {
  let supergraph: RunningSupergraph;
  let cluster: RunningRedisCluster | null = null;
  let child: ChildProcess | null = null;

  beforeAll(async () => {
    if (onCluster) cluster = await startRedisCluster({ masters: 3 });
    supergraph = await startSupergraph({
      isolated: true,
      ...(cluster ? { redisUrl: cluster.url } : {}),
      conocer: { workers: false, sandbox: { reviewAfterMs: 100, decisionAfterMs: 300 } },
    });
  }, 120_000);
  afterAll(async () => {
    child?.kill('SIGKILL');
    await supergraph?.close();
    await cluster?.stop();
  });

  it('loses nothing: another worker takes the stalled job over, and CONOCER still has one request', async () => {
    const { db, submission } = await submissionReady(supergraph, onCluster ? 'CRASH-0002' : 'CRASH-0001');
    // CONOCER takes 4 s to answer: long enough to kill the worker while it waits.
    supergraph.sandbox!.setFaults({ slowRate: 1, slowMs: 4_000 });

    child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'workers/src/main.ts')], {
      cwd: ROOT,
      env: { ...process.env, ...supergraph.workerEnvironment(), WORKER_LOCK_MS: '1500', CONOCER_TIMEOUT_MS: '20000', WORKER_ID: 'doomed' },
      stdio: 'ignore',
    });
    // Killed once its request is with CONOCER (which keeps working on it), before the answer comes.
    await waitFor(
      'the child worker to send the submission',
      async () => supergraph.sandbox!.stats().received['POST /v1/certification-requests'] === 1,
      40_000,
    );
    child.kill('SIGKILL');
    await new Promise((resolve) => child!.once('exit', resolve));
    child = null;
    supergraph.sandbox!.setFaults({ slowRate: 0 });

    // A surviving worker notices the stalled job (its lock expired) and runs it again.
    await supergraph.startWorkers({ lockDurationMs: 1_500 });
    const final = await waitFor('the submission to be decided', async () => {
      const current = await db.run((tx) => tx.conocerSubmission.findUniqueOrThrow({ where: { id: submission.id } }));
      return current.status === 'APPROVED' ? current : null;
    });
    expect(final).toMatchObject({ status: 'APPROVED', folio: expect.stringMatching(/^CONOCER-/) });
    // The dead worker's request is still in CONOCER's hands; when it lands it finds the retry's folio.
    const stats = await waitFor('the first request to land at CONOCER', async () => {
      const current = supergraph.sandbox!.stats();
      return current.duplicateAttempts === 1 ? current : null;
    });
    expect(stats.submissions).toBe(1);
    expect(stats.attemptsByKey).toEqual({ [submission.id]: 2 });
    expect(stats.duplicateAttempts).toBe(1);
    const history = await db.run((tx) =>
      tx.conocerStatusChange.findMany({ where: { submissionId: submission.id }, orderBy: { occurredAt: 'asc' }, select: { status: true } }),
    );
    expect(history.map((change) => change.status)).toEqual(['PENDING', 'SUBMITTED', 'IN_REVIEW', 'APPROVED']);
  }, 60_000);
});

describe('a worker asked to stop while a job is stuck', () => {
  let supergraph: RunningSupergraph;
  let child: ChildProcess | null = null;

  beforeAll(async () => {
    supergraph = await startSupergraph({
      isolated: true,
      conocer: { workers: false, sandbox: { reviewAfterMs: 100, decisionAfterMs: 300 } },
    });
  }, 120_000);
  afterAll(async () => {
    child?.kill('SIGKILL');
    await supergraph?.close();
  });

  it('exits after WORKER_SHUTDOWN_MS instead of waiting for the job, which another worker then finishes once', async () => {
    const { db, submission } = await submissionReady(supergraph, 'STOP-0001');
    // CONOCER takes 15 s to answer; the worker may wait 20 s for it, but has 1 s to stop.
    supergraph.sandbox!.setFaults({ slowRate: 1, slowMs: 15_000 });
    child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'workers/src/main.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...supergraph.workerEnvironment(),
        WORKER_LOCK_MS: '1500',
        WORKER_SHUTDOWN_MS: '1000',
        CONOCER_TIMEOUT_MS: '20000',
        WORKER_ID: 'stopping',
      },
      stdio: 'ignore',
    });
    await waitFor(
      'the worker to send the submission',
      async () => supergraph.sandbox!.stats().received['POST /v1/certification-requests'] === 1,
      40_000,
    );
    const asked = Date.now();
    const exit = new Promise<{ code: number | null; afterMs: number }>((resolve) =>
      child!.once('exit', (code) => resolve({ code, afterMs: Date.now() - asked })),
    );
    child.kill('SIGTERM');
    const exited = await exit;
    child = null;
    // A clean exit while CONOCER still had the request: the job was left, not waited for.
    expect(exited.code).toBe(0);
    expect(exited.afterMs).toBeLessThan(15_000);
    expect(supergraph.sandbox!.stats().submissions).toBe(0);
    supergraph.sandbox!.setFaults({ slowRate: 0 });

    await supergraph.startWorkers({ lockDurationMs: 1_500 });
    const final = await waitFor('the submission to be decided', async () => {
      const current = await db.run((tx) => tx.conocerSubmission.findUniqueOrThrow({ where: { id: submission.id } }));
      return current.status === 'APPROVED' || current.status === 'REJECTED' ? current : null;
    });
    expect(final.status).toBe('APPROVED');
    expect(supergraph.sandbox!.stats().submissions).toBe(1);
  }, 60_000);
});
