import { evaluationDecided, evidenceReviewed } from '@academy/events';
import {
  BadUserInputError,
  ConflictError,
  isUuid,
  NotFoundError,
  Prisma,
  type EvaluationCriterion,
  type Evidence,
  type File,
  type Judgement,
  type TenantScope,
  type Tx,
} from '@academy/platform';
import type { CriterionFields } from '../portfolio/criteria-input';
import { missingCriteria, missingCriteriaIssues, type PortfolioModel } from '../portfolio/portfolio-view';

/** A course as the evaluation instrument needs it. */
export interface CriteriaCourse {
  id: string;
  instructorId: string;
  competencyStandardCode: string | null;
}

/**
 * EC evaluation portfolios of one tenant: the courses' criteria, the learners' evidence and its
 * files, the evaluators' reviews and judgements (with their outbox events, in the same transaction).
 */
export class PortfolioRepository {
  constructor(private readonly db: TenantScope) {}

  /** The portfolio of each enrollment whose course is aligned to a standard (other ids load nothing). */
  views(enrollmentIds: readonly string[]): Promise<PortfolioModel[]> {
    return this.db.byIds(enrollmentIds, async (tx, valid) => {
      const enrollments = await tx.enrollment.findMany({
        where: { tenantId: this.db.tenantId, id: { in: valid }, course: { competencyStandardCode: { not: null } } },
        include: { course: { select: { competencyStandardCode: true } }, portfolio: true },
      });
      return enrollments.map((enrollment) => ({
        id: enrollment.id,
        learnerId: enrollment.learnerId,
        courseId: enrollment.courseId,
        standardCode: enrollment.course.competencyStandardCode!,
        enrollmentStatus: enrollment.status,
        judgement: enrollment.portfolio?.judgement ?? null,
        judgedById: enrollment.portfolio?.judgedById ?? null,
        judgedAt: enrollment.portfolio?.judgedAt ?? null,
        judgementComment: enrollment.portfolio?.judgementComment ?? null,
      }));
    });
  }

  course(courseId: string): Promise<CriteriaCourse | null> {
    if (!isUuid(courseId)) return Promise.resolve(null);
    return this.db.query((tx) =>
      tx.course.findFirst({
        where: { tenantId: this.db.tenantId, id: courseId },
        select: { id: true, instructorId: true, competencyStandardCode: true },
      }),
    );
  }

  /** Each course's criteria, by position. */
  async criteriaOfCourses(courseIds: readonly string[]): Promise<Map<string, EvaluationCriterion[]>> {
    const rows = await this.db.byIds(courseIds, (tx, valid) =>
      tx.evaluationCriterion.findMany({ where: { tenantId: this.db.tenantId, courseId: { in: valid } }, orderBy: { position: 'asc' } }),
    );
    return groupBy(rows, (row) => row.courseId);
  }

  criteriaByIds(ids: readonly string[]): Promise<EvaluationCriterion[]> {
    return this.db.rows('EvaluationCriterion', 'id', ids);
  }

  evidenceByIds(ids: readonly string[]): Promise<Evidence[]> {
    return this.db.rows('Evidence', 'id', ids);
  }

  /** Each portfolio's evidence, oldest first. */
  async evidenceOfPortfolios(portfolioIds: readonly string[]): Promise<Map<string, Evidence[]>> {
    const rows = await this.db.byIds(portfolioIds, (tx, valid) =>
      tx.evidence.findMany({
        where: { tenantId: this.db.tenantId, portfolioId: { in: valid } },
        orderBy: [{ submittedAt: 'asc' }, { id: 'asc' }],
      }),
    );
    return groupBy(rows, (row) => row.portfolioId);
  }

  /** Each piece of evidence's file ids, in order. */
  async filesOfEvidence(evidenceIds: readonly string[]): Promise<Map<string, string[]>> {
    const rows = await this.db.byIds(evidenceIds, (tx, valid) =>
      tx.evidenceFile.findMany({ where: { tenantId: this.db.tenantId, evidenceId: { in: valid } }, orderBy: { position: 'asc' } }),
    );
    const byEvidence = groupBy(rows, (row) => row.evidenceId);
    return new Map([...byEvidence].map(([id, files]) => [id, files.map((file) => file.fileId)]));
  }

  files(ids: readonly string[]): Promise<File[]> {
    return this.db.rows('File', 'id', ids);
  }

  /**
   * Replaces the course's criteria (positions 1..n) while no evidence exists for any of them;
   * the course row is locked, so evidence cannot arrive meanwhile (submitEvidence shares that lock).
   */
  replaceCriteria(courseId: string, criteria: CriterionFields[]): Promise<EvaluationCriterion[]> {
    const tenantId = this.db.tenantId;
    return this.db.run(async (tx) => {
      const [course] = await tx.$queryRaw<{ competency_standard_code: string | null }[]>`
        SELECT competency_standard_code FROM courses WHERE tenant_id = ${tenantId}::uuid AND id = ${courseId}::uuid FOR UPDATE`;
      if (!course) throw new NotFoundError('Course');
      if (!course.competency_standard_code)
        throw new BadUserInputError('Only a course aligned to a competency standard has evaluation criteria', [
          { field: 'courseId', message: 'the course is not aligned to a competency standard' },
        ]);
      const evidence = await tx.evidence.count({ where: { tenantId, criterion: { courseId } } });
      if (evidence > 0)
        throw new ConflictError(`Learners already submitted evidence against these criteria (${evidence}): they can no longer be replaced`);
      await tx.evaluationCriterion.deleteMany({ where: { tenantId, courseId } });
      await tx.evaluationCriterion.createMany({ data: criteria.map((criterion) => ({ tenantId, courseId, ...criterion })) });
      return tx.evaluationCriterion.findMany({ where: { tenantId, courseId }, orderBy: { position: 'asc' } });
    });
  }

  /**
   * A new piece of evidence (and the portfolio's row, on the first one). The portfolio row is
   * locked, so two submissions for one criterion cannot both pass the checks; the course row is
   * share-locked, so its criteria cannot be replaced meanwhile. Files are checked by the caller
   * and again by the database (trigger evidence_files_check).
   */
  submitEvidence(portfolio: PortfolioModel, data: { criterionId: string; fileIds: string[]; note: string | null }): Promise<Evidence> {
    const tenantId = this.db.tenantId;
    return this.db.run(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM courses WHERE tenant_id = ${tenantId}::uuid AND id = ${portfolio.courseId}::uuid FOR SHARE`;
      const criterion = await tx.evaluationCriterion.findFirst({ where: { tenantId, id: data.criterionId, courseId: portfolio.courseId } });
      if (!criterion) throw new NotFoundError('Criterion');
      const row = await lockPortfolio(tx, tenantId, portfolio);
      if (row.judgement === 'COMPETENT') throw new ConflictError('The portfolio was judged COMPETENT: it takes no more evidence');
      const earlier = await tx.evidence.findMany({
        where: { tenantId, portfolioId: portfolio.id, criterionId: criterion.id, status: { in: ['ACCEPTED', 'SUBMITTED'] } },
        select: { status: true },
      });
      if (earlier.some((piece) => piece.status === 'ACCEPTED'))
        throw new ConflictError(`Criterion ${criterion.position} already has accepted evidence`);
      if (earlier.length > 0) throw new ConflictError(`Evidence for criterion ${criterion.position} is still awaiting review`);
      const evidence = await tx.evidence.create({
        data: { tenantId, portfolioId: portfolio.id, criterionId: criterion.id, note: data.note },
      });
      await tx.evidenceFile.createMany({
        data: data.fileIds.map((fileId, index) => ({ tenantId, evidenceId: evidence.id, fileId, position: index + 1 })),
      });
      return evidence;
    });
  }

  /** SUBMITTED -> ACCEPTED or REJECTED, with the learner's notification event; CONFLICT when it was reviewed already. */
  review(
    evidence: Evidence,
    portfolio: PortfolioModel,
    review: { reviewerId: string; accepted: boolean; comment: string | null },
  ): Promise<Evidence> {
    const tenantId = this.db.tenantId;
    return this.db.run(async (tx) => {
      const { count } = await tx.evidence.updateMany({
        where: { tenantId, id: evidence.id, status: 'SUBMITTED' },
        data: {
          status: review.accepted ? 'ACCEPTED' : 'REJECTED',
          reviewerId: review.reviewerId,
          reviewComment: review.comment,
          reviewedAt: new Date(),
        },
      });
      if (count === 0) throw new ConflictError('Only evidence awaiting review (SUBMITTED) can be reviewed');
      await evidenceReviewed.write(tx, {
        tenantId,
        aggregateId: evidence.id,
        payload: {
          evidenceId: evidence.id,
          portfolioId: portfolio.id,
          learnerId: portfolio.learnerId,
          courseId: portfolio.courseId,
          accepted: review.accepted,
          comment: review.comment,
        },
      });
      return tx.evidence.findFirstOrThrow({ where: { tenantId, id: evidence.id } });
    });
  }

  /**
   * The evaluator's judgement, with the learner's notification event. COMPETENT needs ACCEPTED
   * evidence on every criterion (checked under the portfolio's lock); no judgement changes once a
   * CONOCER submission of the enrollment's certificate exists (CONOCER has the one it was sent).
   */
  judge(
    portfolio: PortfolioModel,
    decision: { judgedById: string; judgement: Judgement; comment: string | null },
  ): Promise<{ judgement: Judgement; judgedById: string; judgedAt: Date; judgementComment: string | null }> {
    const tenantId = this.db.tenantId;
    return this.db.run(async (tx) => {
      await lockPortfolio(tx, tenantId, portfolio);
      const submission = await tx.conocerSubmission.findFirst({
        where: { tenantId, certificate: { enrollmentId: portfolio.id } },
        select: { status: true },
      });
      if (submission)
        throw new ConflictError(
          `A CONOCER submission of this certificate exists (${submission.status}): the judgement can no longer change`,
        );
      const criteria = await tx.evaluationCriterion.findMany({ where: { tenantId, courseId: portfolio.courseId } });
      if (criteria.length === 0) throw new ConflictError('The course has no evaluation criteria: there is nothing to judge against');
      if (decision.judgement === 'COMPETENT') {
        const evidence = await tx.evidence.findMany({
          where: { tenantId, portfolioId: portfolio.id },
          select: { criterionId: true, status: true },
        });
        const missing = missingCriteria(criteria, evidence);
        if (missing.length > 0)
          throw new BadUserInputError('COMPETENT needs accepted evidence on every criterion', missingCriteriaIssues(missing));
      }
      const judged = await tx.portfolio.update({
        where: { id: portfolio.id, tenantId },
        data: {
          judgement: decision.judgement,
          judgedById: decision.judgedById,
          judgedAt: new Date(),
          judgementComment: decision.comment,
        },
      });
      await evaluationDecided.write(tx, {
        tenantId,
        aggregateId: portfolio.id,
        payload: {
          portfolioId: portfolio.id,
          learnerId: portfolio.learnerId,
          courseId: portfolio.courseId,
          judgement: decision.judgement,
          comment: decision.comment,
        },
      });
      return {
        judgement: judged.judgement!,
        judgedById: judged.judgedById!,
        judgedAt: judged.judgedAt!,
        judgementComment: judged.judgementComment,
      };
    });
  }

  /**
   * Portfolios with evidence awaiting review, the longest waiting first (by their oldest SUBMITTED
   * evidence), never `reviewerId`'s own. `after` is the last portfolio seen: its key is its oldest
   * waiting evidence, or, when it has none left, its oldest evidence (a page may then repeat one, never skip one).
   */
  async toReview(reviewerId: string, size: number, after: string | null): Promise<string[]> {
    const tenantId = this.db.tenantId;
    return this.db.run(async (tx) => {
      let from: { since: Date; id: string } | null = null;
      if (after) {
        const [key] = isUuid(after)
          ? await tx.$queryRaw<{ since: Date | null }[]>`
            SELECT COALESCE(MIN(e.submitted_at) FILTER (WHERE e.status = 'SUBMITTED'), MIN(e.submitted_at)) AS since
            FROM portfolios p JOIN evidence e ON e.tenant_id = p.tenant_id AND e.portfolio_id = p.id
            WHERE p.tenant_id = ${tenantId}::uuid AND p.id = ${after}::uuid`
          : [];
        if (!key?.since) throw new NotFoundError('Portfolio (after)');
        from = { since: key.since, id: after };
      }
      const rows = await tx.$queryRaw<{ id: string }[]>`
        SELECT p.id::text AS id
        FROM portfolios p JOIN evidence e ON e.tenant_id = p.tenant_id AND e.portfolio_id = p.id AND e.status = 'SUBMITTED'
        WHERE p.tenant_id = ${tenantId}::uuid AND p.learner_id <> ${reviewerId}::uuid
        GROUP BY p.id
        ${from ? Prisma.sql`HAVING (MIN(e.submitted_at), p.id) > (${from.since}::timestamptz, ${from.id}::uuid)` : Prisma.empty}
        ORDER BY MIN(e.submitted_at), p.id
        LIMIT ${size}`;
      return rows.map((row) => row.id);
    });
  }
}

/** The portfolio's row, written if it is not yet (INSERT ... ON CONFLICT DO NOTHING), locked for the transaction. */
async function lockPortfolio(tx: Tx, tenantId: string, portfolio: PortfolioModel): Promise<{ judgement: Judgement | null }> {
  await tx.$executeRaw`
    INSERT INTO portfolios (id, tenant_id, learner_id, course_id, updated_at)
    VALUES (${portfolio.id}::uuid, ${tenantId}::uuid, ${portfolio.learnerId}::uuid, ${portfolio.courseId}::uuid, now())
    ON CONFLICT (id) DO NOTHING`;
  const [row] = await tx.$queryRaw<{ judgement: Judgement | null }[]>`
    SELECT judgement::text AS judgement FROM portfolios WHERE tenant_id = ${tenantId}::uuid AND id = ${portfolio.id}::uuid FOR UPDATE`;
  return row!;
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}
