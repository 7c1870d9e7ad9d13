import { CriterionFieldsFragmentDoc, useFragment, type CriterionFieldsFragment, type PortfolioFieldsFragment } from '@academy/client';

/** The masked fragments unmasked (useFragment only reads the data: it keeps no React state). */
const unmask = useFragment;

export type PortfolioView = PortfolioFieldsFragment;
export type EvidenceView = PortfolioFieldsFragment['evidence'][number];
export type CriterionView = Omit<CriterionFieldsFragment, ' $fragmentName'>;

/**
 * Where a criterion stands for its learner: covered (accepted evidence), waiting for a review,
 * its last evidence rejected (send another), or without evidence.
 */
export type CriterionState = 'accepted' | 'waiting' | 'rejected' | 'missing';

export interface CriterionEntry {
  criterion: CriterionView;
  /** Its evidence, newest first (a rejection and what replaced it stay). */
  evidence: EvidenceView[];
  state: CriterionState;
}

/**
 * Every criterion in the instrument's order, each with its evidence: the course's criteria when
 * known (`all`), else those the portfolio names (missing ones and those with evidence).
 */
export function criteriaOf(portfolio: PortfolioView, all: readonly CriterionView[] = []): CriterionEntry[] {
  const missing = new Set(unmask(CriterionFieldsFragmentDoc, portfolio.missingCriteria).map((criterion) => criterion.id));
  const byId = new Map<string, CriterionEntry>();
  const add = (criterion: CriterionView) => {
    if (!byId.has(criterion.id)) byId.set(criterion.id, { criterion, evidence: [], state: 'missing' });
    return byId.get(criterion.id)!;
  };
  all.forEach(add);
  unmask(CriterionFieldsFragmentDoc, portfolio.missingCriteria).forEach(add);
  for (const evidence of portfolio.evidence) add(unmask(CriterionFieldsFragmentDoc, evidence.criterion)).evidence.push(evidence);
  return [...byId.values()]
    .map((entry) => {
      const evidence = [...entry.evidence].sort((a, b) => b.submittedAt.localeCompare(a.submittedAt));
      return { ...entry, evidence, state: stateOf(evidence, missing.has(entry.criterion.id)) };
    })
    .sort((a, b) => a.criterion.position - b.criterion.position);
}

function stateOf(evidence: readonly EvidenceView[], missing: boolean): CriterionState {
  if (!missing && evidence.some((piece) => piece.status === 'ACCEPTED')) return 'accepted';
  if (evidence.some((piece) => piece.status === 'SUBMITTED')) return 'waiting';
  if (evidence.length > 0 && evidence.every((piece) => piece.status === 'REJECTED')) return 'rejected';
  return evidence.some((piece) => piece.status === 'ACCEPTED') ? 'accepted' : 'missing';
}

/** Criteria with accepted evidence over all of them. */
export function coverageOf(entries: readonly CriterionEntry[]): { accepted: number; total: number } {
  return { accepted: entries.filter((entry) => entry.state === 'accepted').length, total: entries.length };
}
