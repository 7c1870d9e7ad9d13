import { CredentialSigner } from '@academy/credentials';
import { buildCurp } from '@academy/curp';
import { createDatabaseClient, Database } from '@academy/platform';
import { seedDatabase } from '@academy/seed';
import { SubmissionRepository } from '@academy/subgraph-conocer';
import { createCompliantCourse, createTenant, startSupergraph } from '@academy/testing';
import { loadSigningKey } from '@academy/tokens';
import { scratchDatabase, useTestingHarness } from '../scratch-database';
import type { ScenarioOptions } from '../scenario-options';

export interface DeliveryResult {
  submissions: number;
  sandbox: { latencyMs: number; errorRate: number; decisionAfterMs: number };
  workerConcurrency: number;
  /** From the first request to the last final state. */
  seconds: number;
  finalPerMinute: number;
  statuses: Record<string, number>;
  faultsInjected: number;
  duplicateAttempts: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * CONOCER submissions end to end, as the workers process them: `submissions` requests written
 * with their outbox events at once, relayed to BullMQ, submitted to the sandbox (50 ms a call,
 * 10 % of calls answered 503), polled until decided; the rate at which they reach a final state.
 */
export async function deliveryScenario(options: ScenarioOptions): Promise<DeliveryResult> {
  const submissions = options.quick ? 100 : 500;
  const sandbox = { latencyMs: 50, errorRate: 0.1, decisionAfterMs: 1_000 };
  const workerConcurrency = 20;
  const scratch = await scratchDatabase(options.serverUrl, `academy_bench_delivery_${process.pid}`, options.appPassword);
  try {
    // The supergraph and workers of @academy/testing, on this database (theirs alone: the relay takes every event).
    const { credentialSigningKey } = await useTestingHarness({
      serverUrl: options.serverUrl,
      redisUrl: options.redisUrl,
      database: scratch,
      runId: `bench-delivery-${process.pid}`,
    });
    const client = createDatabaseClient({ url: scratch.appUrl, applicationName: 'academy-bench-seed' });
    try {
      await seedDatabase({
        database: new Database(client.prisma),
        credentials: new CredentialSigner(await loadSigningKey(credentialSigningKey)),
      });
    } finally {
      await client.close();
    }
    const supergraph = await startSupergraph({
      conocer: {
        sandbox: {
          reviewAfterMs: 200,
          decisionAfterMs: sandbox.decisionAfterMs,
          faults: {
            errorRate: sandbox.errorRate,
            latencyMs: sandbox.latencyMs,
            outage: false,
            slowRate: 0,
            slowMs: 0,
            duplicateReplayRate: 0,
          },
        },
        tuning: { submitAttempts: 12, backoffMs: 100, pollMs: 250, pollMaxMs: 1_000 },
        concurrency: workerConcurrency,
        timeoutMs: 2_000,
        breakerResetMs: 1_000,
      },
    });
    try {
      const fixture = await createTenant(supergraph.db.database);
      const tenantId = fixture.tenant.id;
      const db = supergraph.db.database.forTenant(tenantId);
      const course = await createCompliantCourse(supergraph.db.database, fixture);
      const certificates: { id: string; learnerId: string }[] = [];
      for (let i = 0; i < submissions; i += 1) {
        certificates.push(
          await db.run(async (tx) => {
            const learner = await tx.user.create({
              data: {
                tenantId,
                email: `aprendiz${i}@bench.test`,
                name: `Aprendiz ${i}`,
                passwordHash: 'x',
                curp: buildCurp({
                  givenNames: 'Ana',
                  firstSurname: 'Pérez',
                  secondSurname: 'Luna',
                  birthDate: new Date(Date.UTC(1970 + (i % 40), i % 12, 1 + (i % 28))),
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
                verificationCode: `BD-${i}-${tenantId.slice(0, 8)}`,
                credential: {},
              },
            });
            return { id: certificate.id, learnerId: learner.id };
          }),
        );
      }
      const repository = new SubmissionRepository(db);
      const started = performance.now();
      await Promise.all(
        certificates.map((certificate) =>
          repository.request({
            certificateId: certificate.id,
            standardCode: course.competencyStandardCode!,
            requestedById: certificate.learnerId,
          }),
        ),
      );
      let statuses: Record<string, number> = {};
      for (const deadline = Date.now() + 600_000; Date.now() < deadline; await sleep(250)) {
        const rows = await db.run((tx) => tx.conocerSubmission.groupBy({ by: ['status'], where: { tenantId }, _count: { _all: true } }));
        statuses = Object.fromEntries(rows.map((row) => [row.status, row._count._all]));
        if ((statuses.APPROVED ?? 0) + (statuses.REJECTED ?? 0) + (statuses.FAILED ?? 0) === submissions) break;
      }
      const seconds = (performance.now() - started) / 1000;
      const stats = supergraph.sandbox!.stats();
      const result: DeliveryResult = {
        submissions,
        sandbox,
        workerConcurrency,
        seconds: Math.round(seconds * 10) / 10,
        finalPerMinute: Math.round((submissions / seconds) * 60),
        statuses,
        faultsInjected: stats.faultsInjected,
        duplicateAttempts: stats.duplicateAttempts,
      };
      options.log(
        `  ${submissions} submissions final in ${result.seconds} s (${result.finalPerMinute}/min): ${JSON.stringify(statuses)}, ${stats.faultsInjected} faults injected`,
      );
      return result;
    } finally {
      await supergraph.close();
    }
  } finally {
    await scratch.drop();
  }
}
