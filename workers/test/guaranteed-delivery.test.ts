import { buildCurp } from '@academy/curp';
import { SubmissionRepository } from '@academy/subgraph-conocer';
import { createCompliantCourse, createTenant, startSupergraph, until, type RunningSupergraph, type TestTenant } from '@academy/testing';

const SUBMISSIONS = 200;

/** What CONOCER's flakiness must not do: lose a request, or receive one twice. */
describe('guaranteed delivery to CONOCER', () => {
  let supergraph: RunningSupergraph;
  let fixture: TestTenant;

  beforeAll(async () => {
    supergraph = await startSupergraph({
      isolated: true,
      conocer: {
        sandbox: { reviewAfterMs: 100, decisionAfterMs: 300 },
        tuning: { submitAttempts: 12, backoffMs: 100, pollMs: 100, pollMaxMs: 500 },
        breakerResetMs: 700,
        timeoutMs: 1_000,
        concurrency: 20,
      },
    });
    fixture = await createTenant(supergraph.db.database);
  });
  afterAll(() => supergraph?.close());

  /** 200 learners of one course, each with a certificate and a PENDING submission (outbox event included). */
  async function pendingSubmissions(): Promise<string[]> {
    const tenantId = fixture.tenant.id;
    const db = supergraph.db.database.forTenant(tenantId);
    const course = await createCompliantCourse(supergraph.db.database, fixture);
    const ids: string[] = [];
    const submissions = new SubmissionRepository(db);
    for (let i = 0; i < SUBMISSIONS; i += 1) {
      const certificateId = await db.run(async (tx) => {
        const learner = await tx.user.create({
          data: {
            tenantId,
            email: `aprendiz${i}@x.test`,
            name: `Aprendiz ${i}`,
            passwordHash: 'x',
            curp: buildCurp({
              givenNames: 'Ana',
              firstSurname: 'Pérez',
              secondSurname: 'Luna',
              birthDate: new Date(Date.UTC(1980 + (i % 20), i % 12, 1 + (i % 28))),
              sex: 'M',
              state: 'OC',
              differentiator: i,
            }),
          },
        });
        const enrollment = await tx.enrollment.create({
          data: {
            tenantId,
            courseId: course.id,
            learnerId: learner.id,
            status: 'COMPLETED',
            finalScore: i % 4 === 0 ? 75 : 95,
            completedAt: new Date(),
          },
        });
        const certificate = await tx.certificate.create({
          data: {
            tenantId,
            learnerId: learner.id,
            courseId: course.id,
            enrollmentId: enrollment.id,
            verificationCode: `GD-${i}-${tenantId.slice(0, 8)}`,
            credential: {},
          },
        });
        return certificate.id;
      });
      ids.push(
        (
          await submissions.request({
            certificateId,
            standardCode: course.competencyStandardCode!,
            requestedById: (await db.run((tx) => tx.certificate.findUniqueOrThrow({ where: { id: certificateId } }))).learnerId,
          })
        ).id,
      );
    }
    return ids;
  }

  const statuses = () =>
    supergraph.db.database
      .forTenant(fixture.tenant.id)
      .run((tx) => tx.conocerSubmission.groupBy({ by: ['status'], where: { tenantId: fixture.tenant.id }, _count: { _all: true } }))
      .then((rows) => Object.fromEntries(rows.map((row) => [row.status, row._count._all])));

  it('brings 200 submissions to a final state through 50 % errors and a full outage: none lost, none sent twice', async () => {
    const sandbox = supergraph.sandbox!;
    // Half of all calls fail, and a tenth of accepted requests lose their response (CONOCER has them; we do not know).
    sandbox.setFaults({ errorRate: 0.5, duplicateReplayRate: 0.1 });
    const ids = await pendingSubmissions();
    // Until a lost response has been retried (how long that takes depends on the machine's load).
    await until(
      () => sandbox.stats().duplicateAttempts,
      (count) => count > 0,
      { timeoutMs: 30_000, everyMs: 100 },
    );
    // Then CONOCER goes down entirely until the breaker has opened on it.
    const before = supergraph.workers!.circuitHistory.length;
    sandbox.setFaults({ outage: true });
    await until(
      () => supergraph.workers!.circuitHistory.slice(before),
      (states) => states.includes('OPEN'),
      { timeoutMs: 30_000, everyMs: 100 },
    );
    sandbox.setFaults({ outage: false, errorRate: 0, duplicateReplayRate: 0 });

    const final = (counts: Record<string, number>) =>
      (counts.APPROVED ?? 0) + (counts.REJECTED ?? 0) + (counts.FAILED ?? 0) === SUBMISSIONS;
    const current = await until(statuses, final, { timeoutMs: 90_000, everyMs: 500 });
    // Learners scoring 75 are judged not yet competent; the rest competent. Nothing failed, nothing is left behind.
    expect(current).toEqual({ APPROVED: 150, REJECTED: 50 });

    const stats = sandbox.stats();
    expect(stats.submissions).toBe(SUBMISSIONS);
    expect(Object.keys(stats.attemptsByKey).sort()).toEqual([...ids].sort());
    expect(stats.duplicateAttempts).toBeGreaterThan(0); // retries after lost responses reached CONOCER ...
    expect(stats.faultsInjected).toBeGreaterThan(0);
    // ... and each was answered with the folio it already had: one folio per submission.
    const folios = await supergraph.db.database
      .forTenant(fixture.tenant.id)
      .run((tx) => tx.conocerSubmission.findMany({ where: { tenantId: fixture.tenant.id }, select: { folio: true } }));
    expect(new Set(folios.map((row) => row.folio)).size).toBe(SUBMISSIONS);

    // The breaker opened during the trouble and closed after it.
    const history = supergraph.workers!.circuitHistory;
    expect(history).toContain('OPEN');
    expect(history.at(-1)).toBe('CLOSED');
    process.stdout.write(
      `delivery: ${SUBMISSIONS} submissions, ${stats.faultsInjected} faults injected, ${stats.duplicateAttempts} duplicate attempts absorbed, circuit ${history.join(' -> ')}\n`,
    );
  }, 150_000);
});
