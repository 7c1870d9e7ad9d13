import type { JobQueues, PollJob, SubmitJob } from '@academy/jobs';
import type { ConocerSubmission, Database, Logger, Tx } from '@academy/platform';
import { ConocerFinalError, type CertificationRequest, type ConocerClient } from './conocer-client';
import { changeStatus } from './status-changes';

const FINAL = ['APPROVED', 'REJECTED'] as const;

/**
 * Delivers submissions to CONOCER and follows them to a decision. Every step re-reads the
 * submission and acts only on the status it expects, so a job delivered twice, retried after a
 * crash, or raced by another worker does nothing twice; CONOCER sees the submission id as the
 * idempotency key, so it never receives a request twice either.
 */
export class SubmissionDelivery {
  constructor(
    private readonly database: Database,
    private readonly client: ConocerClient,
    private readonly queues: JobQueues,
    private readonly logger: Logger,
  ) {}

  /** PENDING -> SUBMITTED (with the folio), or REJECTED when CONOCER refuses the request itself. Retryable failures throw. */
  async submit(job: SubmitJob): Promise<'submitted' | 'rejected' | 'skipped'> {
    const db = this.database.forTenant(job.tenantId);
    const prepared = await db.run(async (tx) => {
      // Counted as an attempt only while PENDING: a run of the same job that moved it meanwhile
      // (a job delivered twice, a stalled one taken over) has done the work.
      const { count } = await tx.conocerSubmission.updateMany({
        where: { tenantId: job.tenantId, id: job.submissionId, status: 'PENDING' },
        data: { attempts: { increment: 1 }, lastAttemptAt: new Date() },
      });
      if (count === 0) return null;
      const attempted = await tx.conocerSubmission.findFirstOrThrow({ where: { tenantId: job.tenantId, id: job.submissionId } });
      return { submission: attempted, request: await this.requestFor(tx, attempted) };
    });
    if (!prepared) return 'skipped';
    try {
      const result = await this.client.submit(prepared.request);
      const moved = await db.run((tx) =>
        changeStatus(tx, prepared.submission, { status: 'SUBMITTED', folio: result.folio, reason: `Folio ${result.folio}` }),
      );
      if (moved) await this.queues.addPoll({ tenantId: job.tenantId, submissionId: job.submissionId, round: 0 });
      return 'submitted';
    } catch (error) {
      if (!(error instanceof ConocerFinalError)) throw error;
      // CONOCER refused the request as such: the documents do not pass its checks.
      const details = error.details.map((detail) => `${detail.field}: ${detail.message}`).join('; ');
      const reason = `CONOCER rechazó la solicitud: ${error.message}${details ? ` (${details})` : ''}`;
      await db.run((tx) => changeStatus(tx, prepared.submission, { status: 'REJECTED', reason, rejectionReason: reason }));
      return 'rejected';
    }
  }

  /** After the last attempt: FAILED, with the reason, for an operator to retry. */
  async giveUp(job: SubmitJob, attempts: number, lastError: string): Promise<void> {
    await this.database.forTenant(job.tenantId).run(async (tx) => {
      const submission = await tx.conocerSubmission.findFirst({ where: { tenantId: job.tenantId, id: job.submissionId } });
      if (!submission || submission.status !== 'PENDING') return;
      const reason = `No se pudo entregar a CONOCER tras ${attempts} intentos: ${lastError}`;
      await changeStatus(tx, submission, { status: 'FAILED', reason, failureReason: reason });
    });
    this.logger.warn({ submissionId: job.submissionId, attempts }, 'CONOCER submission failed after every attempt');
  }

  /** Asks CONOCER where a submitted request stands; records any change; polls again until decided. */
  async poll(job: PollJob): Promise<string> {
    const db = this.database.forTenant(job.tenantId);
    const submission = await db.query((tx) => tx.conocerSubmission.findFirst({ where: { tenantId: job.tenantId, id: job.submissionId } }));
    if (!submission || !submission.folio || (submission.status !== 'SUBMITTED' && submission.status !== 'IN_REVIEW')) return 'done';
    let remote;
    try {
      remote = await this.client.status(submission.folio);
    } catch (error) {
      if (error instanceof ConocerFinalError && error.status === 404) {
        const reason = `CONOCER no reconoce el folio ${submission.folio}`;
        await db.run((tx) => changeStatus(tx, submission, { status: 'FAILED', reason, failureReason: reason }));
        return 'unknown folio';
      }
      throw error;
    }
    let current: ConocerSubmission | null = submission;
    if (remote.status !== submission.status) {
      current = await db.run(async (tx) => {
        let latest: ConocerSubmission | null = submission;
        // CONOCER may have moved past IN_REVIEW since the last poll: record the step we missed.
        if (latest.status === 'SUBMITTED' && remote.status !== 'IN_REVIEW')
          latest = await changeStatus(tx, latest, { status: 'IN_REVIEW' });
        if (!latest) return null;
        const reason = remote.status === 'REJECTED' ? (remote.reason ?? 'Juicio: todavía no competente') : null;
        return changeStatus(tx, latest, {
          status: remote.status,
          reason,
          ...(remote.status === 'REJECTED' ? { rejectionReason: reason } : {}),
        });
      });
    }
    if (current && !FINAL.includes(current.status as (typeof FINAL)[number])) {
      await this.queues.addPoll({ ...job, round: job.round + 1 });
      return current.status;
    }
    return current?.status ?? 'moved';
  }

  /** Submissions whose job went missing (Redis lost it, a worker died for good): queued again. */
  async reconcile(options: { pendingOlderThanMs: number; polledOlderThanMs: number; limit?: number }): Promise<number> {
    const now = Date.now();
    const stale = await this.database.prisma.$queryRaw<{ tenant_id: string; id: string; status: string }[]>`
      SELECT * FROM app_conocer_stale_submissions(${new Date(now - options.pendingOlderThanMs)}, ${new Date(now - options.polledOlderThanMs)}, ${options.limit ?? 500})`;
    for (const row of stale) {
      if (row.status === 'PENDING')
        await this.queues.addSubmit({ tenantId: row.tenant_id, submissionId: row.id }, `reconcile-${Math.floor(now / 60_000)}`);
      else await this.queues.addPoll({ tenantId: row.tenant_id, submissionId: row.id, round: 1000 + Math.floor(now / 60_000) });
    }
    return stale.length;
  }

  /** The request CONOCER receives: the candidate, the standard, the evidence, the evaluator. */
  private async requestFor(tx: Tx, submission: ConocerSubmission): Promise<CertificationRequest> {
    const certificate = await tx.certificate.findUniqueOrThrow({
      where: { id: submission.certificateId },
      include: {
        learner: { select: { name: true, curp: true } },
        course: { select: { title: true, lessons: { select: { durationMinutes: true } } } },
        enrollment: { select: { finalScore: true } },
      },
    });
    const evaluator = await tx.user.findFirst({
      where: { tenantId: submission.tenantId, persona: 'EVALUATOR' },
      orderBy: { createdAt: 'asc' },
      select: { name: true },
    });
    const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: submission.tenantId }, select: { name: true } });
    const evaluation = await evaluationFor(tx, certificate);
    const minutes = certificate.course.lessons.reduce((sum, lesson) => sum + lesson.durationMinutes, 0);
    const hours = Math.round((minutes / 60) * 10) / 10;
    const score = certificate.enrollment.finalScore ?? 0;
    return {
      idempotencyKey: submission.id,
      candidate: { curp: certificate.learner.curp ?? '', name: certificate.learner.name },
      standardCode: submission.standardCode,
      evidence: {
        summary: `Completó «${certificate.course.title}» (${certificate.course.lessons.length} lecciones, ${hours} h) con calificación final ${score}/100.`,
        finalScore: score,
        hours,
      },
      evaluator: { name: evaluation.evaluator?.name ?? evaluator?.name ?? `Evaluación de ${tenant.name}` },
      evaluation,
    };
  }
}

/**
 * The evaluation CONOCER receives: with criteria, the portfolio's judgement (whatever it is now:
 * CONOCER refuses anything but COMPETENT), its judge and its accepted evidence; without, the
 * course's own passed assessment stands for it (COMPETENT, no evaluator, no evidence).
 */
async function evaluationFor(
  tx: Tx,
  certificate: { tenantId: string; courseId: string; enrollmentId: string; issuedAt: Date },
): Promise<CertificationRequest['evaluation']> {
  const criteria = await tx.evaluationCriterion.count({ where: { tenantId: certificate.tenantId, courseId: certificate.courseId } });
  if (criteria === 0) return { judgement: 'COMPETENT', evaluator: null, evidenceCount: 0, judgedAt: certificate.issuedAt.toISOString() };
  const portfolio = await tx.portfolio.findFirst({
    where: { tenantId: certificate.tenantId, id: certificate.enrollmentId },
    include: { judgedBy: { select: { id: true, name: true } } },
  });
  const evidenceCount = await tx.evidence.count({
    where: { tenantId: certificate.tenantId, portfolioId: certificate.enrollmentId, status: 'ACCEPTED' },
  });
  return {
    judgement: portfolio?.judgement ?? null,
    evaluator: portfolio?.judgedBy ?? null,
    evidenceCount,
    judgedAt: portfolio?.judgedAt?.toISOString() ?? null,
  };
}
