import type { Database, Prisma, SagaRun, SagaStatus } from '@academy/platform';

export type StepOutcome = { status: 'DONE' | 'SKIPPED'; detail?: string };

export interface SagaStep<Context> {
  name: string;
  run(context: Context): Promise<StepOutcome>;
  /** Undoes a DONE step (best effort, idempotent). */
  compensate?(context: Context): Promise<string | void>;
}

interface StepRecord {
  step: string;
  status: 'DONE' | 'SKIPPED' | 'FAILED' | 'COMPENSATED';
  at: string;
  detail?: string;
}

export interface SagaDefinition<Context> {
  name: string;
  steps: SagaStep<Context>[];
  /** Checked before every step: a reason to stop (and compensate), or null to go on. */
  abortReason(context: Context): Promise<string | null>;
}

/**
 * Runs a saga's steps in order, recording each outcome in saga_runs so that a retried job
 * resumes after the last finished step. A step that throws is retried by the queue; on its last
 * attempt, or when the saga must stop, the finished steps are compensated in reverse and the
 * outcome recorded.
 */
export class SagaRunner {
  constructor(private readonly database: Database) {}

  async run<Context>(
    definition: SagaDefinition<Context>,
    tenantId: string,
    key: string,
    context: Context,
    lastAttempt: boolean,
  ): Promise<SagaRun> {
    const db = this.database.forTenant(tenantId);
    let run = await db.run(async (tx) => {
      await tx.sagaRun.createMany({ data: [{ tenantId, saga: definition.name, key }], skipDuplicates: true });
      return tx.sagaRun.findUniqueOrThrow({ where: { tenantId_saga_key: { tenantId, saga: definition.name, key } } });
    });
    if (run.status !== 'RUNNING') return run;
    const records = [...(run.steps as unknown as StepRecord[])];
    for (const step of definition.steps) {
      if (records.some((record) => record.step === step.name)) continue;
      const abort = await definition.abortReason(context);
      if (abort) return this.compensate(definition, tenantId, key, context, abort, 'COMPENSATED');
      try {
        const outcome = await step.run(context);
        records.push({
          step: step.name,
          status: outcome.status,
          at: new Date().toISOString(),
          ...(outcome.detail ? { detail: outcome.detail } : {}),
        });
        run = await this.save(tenantId, run.id, { steps: records });
      } catch (error) {
        if (!lastAttempt) throw error;
        records.push({ step: step.name, status: 'FAILED', at: new Date().toISOString(), detail: (error as Error).message });
        await this.save(tenantId, run.id, { steps: records });
        return this.compensate(definition, tenantId, key, context, `${step.name} failed: ${(error as Error).message}`, 'FAILED');
      }
    }
    return this.save(tenantId, run.id, { status: 'COMPLETED', outcome: 'every step done' });
  }

  /** Undoes the DONE steps, last first; records the outcome. */
  async compensate<Context>(
    definition: SagaDefinition<Context>,
    tenantId: string,
    key: string,
    context: Context,
    reason: string,
    status: SagaStatus = 'COMPENSATED',
  ): Promise<SagaRun> {
    const db = this.database.forTenant(tenantId);
    const run = await db.run(async (tx) => {
      await tx.sagaRun.createMany({ data: [{ tenantId, saga: definition.name, key }], skipDuplicates: true });
      return tx.sagaRun.findUniqueOrThrow({ where: { tenantId_saga_key: { tenantId, saga: definition.name, key } } });
    });
    if (run.status === 'COMPENSATED' || run.status === 'FAILED') return run;
    const records = [...(run.steps as unknown as StepRecord[])];
    for (const step of [...definition.steps].reverse()) {
      const record = records.find((candidate) => candidate.step === step.name);
      if (record?.status !== 'DONE' || !step.compensate) continue;
      const detail = await step.compensate(context);
      record.status = 'COMPENSATED';
      record.at = new Date().toISOString();
      if (detail) record.detail = detail;
    }
    return this.save(tenantId, run.id, { status, outcome: reason, steps: records });
  }

  private save(tenantId: string, id: string, data: { status?: SagaStatus; outcome?: string; steps?: StepRecord[] }): Promise<SagaRun> {
    return this.database.forTenant(tenantId).run((tx) =>
      tx.sagaRun.update({
        where: { id },
        data: {
          ...(data.status ? { status: data.status } : {}),
          ...(data.outcome ? { outcome: data.outcome } : {}),
          ...(data.steps ? { steps: data.steps as unknown as Prisma.InputJsonValue } : {}),
        },
      }),
    );
  }
}
