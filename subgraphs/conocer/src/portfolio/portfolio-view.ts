import type { EnrollmentStatus, EvaluationCriterion, Evidence, Judgement } from '@academy/platform';

/**
 * A portfolio as resolvers receive it: an enrollment of a course aligned to a competency
 * standard (its id is the enrollment's) and what its stored row holds once there is one (the
 * row is written with the first evidence or judgement; before that the portfolio is empty).
 */
export interface PortfolioModel {
  id: string;
  learnerId: string;
  courseId: string;
  standardCode: string;
  enrollmentStatus: EnrollmentStatus;
  judgement: Judgement | null;
  judgedById: string | null;
  judgedAt: Date | null;
  judgementComment: string | null;
}

/** The ids of the criteria that have ACCEPTED evidence. */
export function acceptedCriteria(evidence: readonly Pick<Evidence, 'criterionId' | 'status'>[]): Set<string> {
  return new Set(evidence.filter((piece) => piece.status === 'ACCEPTED').map((piece) => piece.criterionId));
}

/** Criteria without ACCEPTED evidence, by position. */
export function missingCriteria(
  criteria: readonly EvaluationCriterion[],
  evidence: readonly Pick<Evidence, 'criterionId' | 'status'>[],
): EvaluationCriterion[] {
  const accepted = acceptedCriteria(evidence);
  return [...criteria].sort((a, b) => a.position - b.position).filter((criterion) => !accepted.has(criterion.id));
}

/** Criteria with ACCEPTED evidence / all criteria, 0..1; 0 when there are no criteria (nothing is evidenced). */
export function coverage(criteria: readonly EvaluationCriterion[], evidence: readonly Pick<Evidence, 'criterionId' | 'status'>[]): number {
  if (criteria.length === 0) return 0;
  return (criteria.length - missingCriteria(criteria, evidence).length) / criteria.length;
}

/** How a missing criterion is named in a refusal: its index in Course.evaluationCriteria. */
export function missingCriteriaIssues(missing: readonly EvaluationCriterion[]): { field: string; message: string }[] {
  return missing.map((criterion) => ({
    field: `evaluationCriteria.${criterion.position - 1}`,
    message: `no accepted evidence for "${criterion.element}" (${criterion.kind}): ${criterion.description}`,
  }));
}
