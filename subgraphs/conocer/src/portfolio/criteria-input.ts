import { BadUserInputError, CriterionKind, type InputIssue } from '@academy/platform';

export const CRITERIA_LIMITS = { criteria: 100, element: 200, description: 2_000 } as const;

export interface CriterionFields {
  element: string;
  kind: CriterionKind;
  description: string;
  position: number;
}

/**
 * setEvaluationCriteria's list, checked whole: every problem at once, each with its path
 * (`criteria.2.description`). Text is trimmed; positions follow the list's order, 1..n.
 */
export function criteriaFromInput(criteria: readonly { element: string; kind: string; description: string }[]): CriterionFields[] {
  const issues: InputIssue[] = [];
  if (criteria.length === 0) issues.push({ field: 'criteria', message: 'must name at least one criterion' });
  if (criteria.length > CRITERIA_LIMITS.criteria)
    issues.push({ field: 'criteria', message: `must be at most ${CRITERIA_LIMITS.criteria} criteria` });
  const fields = criteria.map((criterion, index) => {
    const element = criterion.element.trim();
    const description = criterion.description.trim();
    if (element.length === 0) issues.push({ field: `criteria.${index}.element`, message: 'must not be empty' });
    else if (element.length > CRITERIA_LIMITS.element)
      issues.push({ field: `criteria.${index}.element`, message: `must be at most ${CRITERIA_LIMITS.element} characters` });
    if (!Object.values(CriterionKind).includes(criterion.kind as CriterionKind))
      issues.push({ field: `criteria.${index}.kind`, message: 'must be PERFORMANCE, PRODUCT or KNOWLEDGE' });
    if (description.length === 0) issues.push({ field: `criteria.${index}.description`, message: 'must not be empty' });
    else if (description.length > CRITERIA_LIMITS.description)
      issues.push({ field: `criteria.${index}.description`, message: `must be at most ${CRITERIA_LIMITS.description} characters` });
    return { element, kind: criterion.kind as CriterionKind, description, position: index + 1 };
  });
  if (issues.length > 0) throw new BadUserInputError('Invalid evaluation criteria', issues);
  return fields;
}
