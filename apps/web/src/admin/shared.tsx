import { useCallback, useMemo } from 'react';
import { describeError } from '@academy/client';
import { useI18n, type MessageKey } from '../i18n';

export { useCursorPages } from '../screens/cursor-pages';

/** Previous and next page buttons (by cursor), announced as a navigation of its own. */
export function Pager(props: { label: string; page: number; hasNext: boolean; busy: boolean; onPrevious: () => void; onNext: () => void }) {
  const { t } = useI18n();
  return (
    <nav aria-label={props.label} className="pager admin-pager">
      <button type="button" className="button" disabled={props.page === 1 || props.busy} onClick={props.onPrevious}>
        {t('admin.pager.previous')}
      </button>
      <span className="muted">{t('admin.pager.page', { page: props.page })}</span>
      <button type="button" className="button" disabled={!props.hasNext || props.busy} onClick={props.onNext}>
        {t('admin.pager.next')}
      </button>
    </nav>
  );
}

interface InputIssue {
  field: string;
  message: string;
}

/** The fields a BAD_USER_INPUT refusal names (`extensions.issues`). */
export function issuesOf(error: unknown): InputIssue[] {
  const graphQLErrors = (error as { graphQLErrors?: { extensions?: { issues?: unknown } }[] } | null)?.graphQLErrors ?? [];
  return graphQLErrors.flatMap((graphQLError) =>
    Array.isArray(graphQLError.extensions?.issues)
      ? (graphQLError.extensions.issues as unknown[]).filter(
          (issue): issue is InputIssue => typeof (issue as InputIssue | null)?.field === 'string',
        )
      : [],
  );
}

export interface Refusal {
  message: string;
  /** The fields the server found wrong (to mark them aria-invalid). */
  fields: string[];
}

/**
 * A refusal in human words: this screen's own sentence for the code when it has one
 * (`specific`), else the SDK's (describeError), then which fields to check by their labels.
 */
export function useRefusal() {
  const { t, locale } = useI18n();
  return useCallback(
    (error: unknown, options: { specific?: Partial<Record<string, MessageKey>>; labels?: Record<string, string> } = {}): Refusal => {
      const described = describeError(error, locale);
      const key = options.specific?.[described.code];
      const fields = [...new Set(issuesOf(error).map((issue) => issue.field))];
      const named = fields.map((field) => options.labels?.[field]).filter((label): label is string => Boolean(label));
      const message = key ? t(key) : described.message;
      return { message: named.length > 0 ? `${message} ${t('admin.error.check', { fields: named.join(', ') })}` : message, fields };
    },
    [locale, t],
  );
}

/** Scores (0 to 100) with one decimal, and counts, in the locale. */
export function useNumbers() {
  const { locale } = useI18n();
  return useMemo(() => {
    const score = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    const count = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    return { score: (value: number) => score.format(value), count: (value: number) => count.format(value) };
  }, [locale]);
}

/** A date and time, short, in the locale. */
export function useDateTime() {
  const { locale } = useI18n();
  return useMemo(() => {
    const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    return (iso: string) => format.format(new Date(iso));
  }, [locale]);
}

/** A date, short (21 jun 2026), in the locale. */
export function useShortDate() {
  const { locale } = useI18n();
  return useMemo(() => {
    const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
    return (iso: string) => format.format(new Date(iso));
  }, [locale]);
}

/** A status line for what just happened (announced politely), or an alert for a refusal. */
export function Outcome({ done, refusal }: { done?: string | null; refusal?: Refusal | null }) {
  if (refusal)
    return (
      <p role="alert" className="error">
        {refusal.message}
      </p>
    );
  return (
    <p role="status" aria-live="polite" className="admin-done">
      {done ?? ''}
    </p>
  );
}
