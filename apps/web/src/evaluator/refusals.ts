import { describeError } from '@academy/client';
import type { Locale, MessageKey } from '../i18n';
import type { CriterionView } from './portfolio-model';

interface Issue {
  field: string;
  message?: string;
}

interface ErrorLike {
  graphQLErrors?: { extensions?: { code?: unknown; issues?: unknown } | null }[];
}

/** The API's answer in the person's words: describeError's message, then each refusal it names. */
export interface Refusal {
  code: string;
  message: string;
  reasons: string[];
}

/** The `extensions.issues` of a BAD_USER_INPUT answer (`{ field, message }`), none otherwise. */
function issuesOf(error: unknown): Issue[] {
  const errors = (error as ErrorLike | null)?.graphQLErrors ?? [];
  return errors.flatMap((graphQLError) => {
    const issues = graphQLError.extensions?.issues;
    return Array.isArray(issues) ? issues.filter((issue): issue is Issue => typeof (issue as Issue | null)?.field === 'string') : [];
  });
}

/**
 * A refused review or judgement: what describeError says, and in human words each reason the API
 * gives (`evaluationCriteria.<i>`: that criterion has no accepted evidence; `comment`; CONFLICT; FORBIDDEN).
 */
export function refusalOf(
  error: unknown,
  locale: Locale,
  t: (key: MessageKey, values?: Record<string, string | number>) => string,
  criteria: readonly CriterionView[],
  action: 'review' | 'judgement',
): Refusal {
  const described = describeError(error, locale);
  const reasons: string[] = [];
  for (const issue of issuesOf(error)) {
    const criterionIndex = /^evaluationCriteria\.(\d+)$/.exec(issue.field);
    if (criterionIndex) {
      const position = Number(criterionIndex[1]) + 1;
      const criterion = criteria.find((candidate) => candidate.position === position);
      reasons.push(
        criterion ? t('evaluate.refusal.criterion', { position, element: criterion.element }) : t('evaluate.refusal.criterionUnknown'),
      );
    } else if (issue.field === 'comment') {
      reasons.push(issue.message?.startsWith('is required') ? t('evaluate.review.commentRequired') : t('evaluate.refusal.comment'));
    }
  }
  if (described.code === 'CONFLICT')
    reasons.push(action === 'review' ? t('evaluate.review.alreadyReviewed') : t('evaluate.refusal.conflict'));
  if (described.code === 'FORBIDDEN') reasons.push(t('evaluate.refusal.forbidden'));
  return { code: described.code, message: described.message, reasons };
}
