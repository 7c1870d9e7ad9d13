import { CriterionFieldsFragmentDoc, useFragment, type CriterionFieldsFragment, type PortfolioFieldsFragment } from '@academy/client';

/** The masked fragments unmasked (useFragment only reads the data: it keeps no React state). */
const unmask = useFragment;

export type PortfolioView = PortfolioFieldsFragment;
export type EvidenceView = PortfolioFieldsFragment['evidence'][number];
export type CriterionView = Omit<CriterionFieldsFragment, ' $fragmentName'>;

/** A criterion of the portfolio's instrument with its evidence (newest first) and whether one piece was accepted. */
export interface CriterionWithEvidence {
  criterion: CriterionView;
  evidence: EvidenceView[];
  accepted: boolean;
}

/**
 * Every criterion of the portfolio, in the instrument's order: those with evidence and the missing
 * ones (a criterion without accepted evidence is missing; one without any evidence is only there).
 */
export function criteriaOf(portfolio: PortfolioView): CriterionWithEvidence[] {
  const byId = new Map<string, CriterionWithEvidence>();
  const missing = new Set<string>();
  for (const criterion of unmask(CriterionFieldsFragmentDoc, portfolio.missingCriteria)) {
    missing.add(criterion.id);
    byId.set(criterion.id, { criterion, evidence: [], accepted: false });
  }
  for (const evidence of portfolio.evidence) {
    const criterion = unmask(CriterionFieldsFragmentDoc, evidence.criterion);
    const entry = byId.get(criterion.id) ?? { criterion, evidence: [], accepted: false };
    entry.evidence.push(evidence);
    byId.set(criterion.id, entry);
  }
  return [...byId.values()]
    .map((entry) => ({
      ...entry,
      accepted: !missing.has(entry.criterion.id) && entry.evidence.some((evidence) => evidence.status === 'ACCEPTED'),
      evidence: [...entry.evidence].sort((a, b) => b.submittedAt.localeCompare(a.submittedAt)),
    }))
    .sort((a, b) => a.criterion.position - b.criterion.position);
}

/** The criteria still without accepted evidence, in order. */
export function missingCriteriaOf(portfolio: PortfolioView): CriterionView[] {
  return [...unmask(CriterionFieldsFragmentDoc, portfolio.missingCriteria)].sort((a, b) => a.position - b.position);
}
