import {
  BadUserInputError,
  ConflictError,
  isUuid,
  NotFoundError,
  pageSize,
  type EvaluationCriterion,
  type Evidence,
  type InputIssue,
  type Judgement,
  type Viewer,
} from '@academy/platform';
import type { PortfolioRepository } from '../repositories/portfolio-repository';
import { criteriaFromInput } from './criteria-input';
import type { PortfolioModel } from './portfolio-view';

export const EVIDENCE_LIMITS = { files: 10, note: 2_000, comment: 2_000 } as const;

const FILE_MESSAGE = 'must be a READY EVIDENCE file you uploaded (createUpload, then completeUpload)';

/**
 * The EC evaluation portfolio: a course's criteria, a learner's evidence, an evaluator's reviews
 * and judgement. Who may act was checked by the permissions; this checks what they send.
 */
export class EvaluationPortfolios {
  constructor(private readonly portfolios: PortfolioRepository) {}

  async setCriteria(
    courseId: string,
    input: readonly { element: string; kind: string; description: string }[],
  ): Promise<EvaluationCriterion[]> {
    const criteria = criteriaFromInput(input);
    return this.portfolios.replaceCriteria(courseId, criteria);
  }

  async submitEvidence(
    portfolio: PortfolioModel,
    input: { criterionId: string; fileIds: readonly string[]; note?: string | null },
  ): Promise<Evidence> {
    if (portfolio.enrollmentStatus !== 'ACTIVE' && portfolio.enrollmentStatus !== 'COMPLETED')
      throw new ConflictError(`The enrollment is ${portfolio.enrollmentStatus}: it takes no evidence`);
    if (!isUuid(input.criterionId)) throw new NotFoundError('Criterion');
    const issues: InputIssue[] = [];
    const note = input.note?.trim() || null;
    if (note && note.length > EVIDENCE_LIMITS.note)
      issues.push({ field: 'note', message: `must be at most ${EVIDENCE_LIMITS.note} characters` });
    const fileIds = [...input.fileIds];
    if (fileIds.length === 0) issues.push({ field: 'fileIds', message: 'must name at least one file' });
    else if (fileIds.length > EVIDENCE_LIMITS.files)
      issues.push({ field: 'fileIds', message: `must be at most ${EVIDENCE_LIMITS.files} files` });
    else {
      const files = new Map((await this.portfolios.files(fileIds)).map((file) => [file.id, file]));
      fileIds.forEach((id, index) => {
        const file = files.get(id);
        if (fileIds.indexOf(id) !== index) issues.push({ field: `fileIds.${index}`, message: 'names a file already given' });
        else if (!file || file.ownerId !== portfolio.learnerId || file.purpose !== 'EVIDENCE' || file.status !== 'READY')
          issues.push({ field: `fileIds.${index}`, message: FILE_MESSAGE });
      });
    }
    if (issues.length > 0) throw new BadUserInputError('Invalid evidence', issues);
    return this.portfolios.submitEvidence(portfolio, { criterionId: input.criterionId, fileIds, note });
  }

  async review(
    evidence: Evidence,
    portfolio: PortfolioModel,
    viewer: Viewer,
    input: { accept: boolean; comment?: string | null },
  ): Promise<Evidence> {
    const comment = input.comment?.trim() || null;
    const issues: InputIssue[] = [];
    if (!input.accept && !comment)
      issues.push({ field: 'comment', message: 'is required when rejecting: tell the learner what is missing' });
    if (comment && comment.length > EVIDENCE_LIMITS.comment)
      issues.push({ field: 'comment', message: `must be at most ${EVIDENCE_LIMITS.comment} characters` });
    if (issues.length > 0) throw new BadUserInputError('Invalid review', issues);
    if (evidence.status !== 'SUBMITTED') throw new ConflictError(`The evidence was already reviewed (${evidence.status})`);
    return this.portfolios.review(evidence, portfolio, { reviewerId: viewer.userId, accepted: input.accept, comment });
  }

  async judge(
    portfolio: PortfolioModel,
    viewer: Viewer,
    input: { judgement: Judgement; comment?: string | null },
  ): Promise<PortfolioModel> {
    const comment = input.comment?.trim() || null;
    if (comment && comment.length > EVIDENCE_LIMITS.comment)
      throw new BadUserInputError('Invalid judgement', [
        { field: 'comment', message: `must be at most ${EVIDENCE_LIMITS.comment} characters` },
      ]);
    const judged = await this.portfolios.judge(portfolio, { judgedById: viewer.userId, judgement: input.judgement, comment });
    return { ...portfolio, ...judged };
  }

  /** The portfolio ids an evaluator has to review, the longest waiting first. */
  toReview(viewer: Viewer, args: { first?: number | null; after?: string | null }): Promise<string[]> {
    return this.portfolios.toReview(viewer.userId, pageSize(args.first), args.after ?? null);
  }
}
