import { describeError } from '@academy/client';
import { useI18n, type MessageKey } from '../i18n';

/** One problem of a BAD_USER_INPUT answer: the input's field (a path such as `modules.2.lessons.1.videoUrl`) and why. */
export interface InputIssue {
  field: string;
  message: string;
}

/** The `issues` of a refused mutation (BAD_USER_INPUT lists every problem at once), none when it has none. */
export function inputIssues(error: unknown): InputIssue[] {
  const errors = (error as { graphQLErrors?: { extensions?: { issues?: unknown } | null }[] } | null)?.graphQLErrors ?? [];
  for (const graphQLError of errors) {
    const issues = graphQLError.extensions?.issues;
    if (Array.isArray(issues))
      return issues.filter(
        (issue): issue is InputIssue => typeof issue === 'object' && issue !== null && typeof (issue as InputIssue).field === 'string',
      );
  }
  return [];
}

/** The error code of a refused mutation (BAD_USER_INPUT, CONFLICT...). */
export function errorCode(error: unknown): string {
  return describeError(error).code;
}

const FIELD_LABELS: Record<string, MessageKey> = {
  title: 'teach.field.title',
  description: 'teach.field.description',
  priceCents: 'teach.field.price',
  currency: 'teach.field.currency',
  language: 'teach.field.language',
  category: 'teach.field.category',
  competencyStandardCode: 'teach.field.standard',
  passingScore: 'teach.field.passingScore',
  impactDimensions: 'teach.field.impact',
  durationMinutes: 'teach.field.duration',
  kind: 'teach.field.kind',
  body: 'teach.field.body',
  videoUrl: 'teach.field.videoUrl',
  attachmentFileIds: 'teach.field.attachments',
  position: 'teach.field.position',
  modules: 'teach.field.modules',
  lessons: 'teach.field.lessons',
  questions: 'teach.field.questions',
  prompt: 'teach.field.prompt',
  points: 'teach.field.points',
  options: 'teach.field.options',
  text: 'teach.field.optionText',
  maxAttempts: 'teach.field.maxAttempts',
  timeLimitMinutes: 'teach.field.timeLimit',
  moduleId: 'teach.field.module',
};

/** The label of an input field as the form names it (its last segment: `modules.0.lessons.0.title` is a title). */
export function fieldLabelKey(field: string): MessageKey | null {
  const segments = field.split('.').filter((segment) => !/^\d+$/.test(segment));
  return FIELD_LABELS[segments[segments.length - 1] ?? ''] ?? null;
}

/** The question (1-based) an assessment issue is about, when it names one (`questions.0.options`). */
function questionOf(field: string): number | null {
  const match = /^questions\.(\d+)/.exec(field);
  return match ? Number(match[1]) + 1 : null;
}

/**
 * A refused mutation in the person's words: what the code means and, for BAD_USER_INPUT, each
 * field to check by the name the form gives it. Announced as an alert.
 */
export function MutationError({ error, id }: { error: unknown; id?: string }) {
  const { t, locale } = useI18n();
  if (!error) return null;
  const issues = inputIssues(error);
  const labels = [
    ...new Set(
      issues.map((issue) => {
        const key = fieldLabelKey(issue.field);
        const label = key ? t(key) : issue.field;
        const question = questionOf(issue.field);
        return question ? t('teach.issue.inQuestion', { label, number: question }) : label;
      }),
    ),
  ];
  return (
    <div role="alert" className="error" id={id}>
      <p>{describeError(error, locale).message}</p>
      {labels.length > 0 ? (
        <>
          <p>{t('teach.issue.check')}</p>
          <ul>
            {labels.map((label) => (
              <li key={label}>{label}</li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

/** A course's status as a badge (Borrador, Publicado, Archivado). */
export function CourseStatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  return <span className={`badge teach-badge-${status.toLowerCase()}`}>{t(`teach.status.${status}` as MessageKey)}</span>;
}

/** Pesos as the person writes them ("1,250.50", "450") to integer cents; null when it is no amount. */
export function pesosToCents(value: string): number | null {
  const normalized = value.trim().replace(/[\s$,]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(normalized)) return null;
  return Math.round(Number(normalized) * 100);
}

/** Cents as an amount to edit ("450.50", "0"). */
export function centsToPesos(cents: number): string {
  return cents % 100 === 0 ? String(cents / 100) : (cents / 100).toFixed(2);
}

export const LESSON_KINDS = ['READING', 'VIDEO', 'PRACTICE'] as const;
export const IMPACT_DIMENSIONS = ['SUSTAINABILITY', 'COMMUNITY', 'REGENERATIVE', 'SOCIAL_JUSTICE', 'CIRCULARITY'] as const;
export const CURRENCIES = ['MXN', 'USD'] as const;
export const LANGUAGES = ['es-MX', 'en'] as const;
