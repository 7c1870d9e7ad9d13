import { useI18n } from '../i18n';

/** What a screen shows while its data comes: announced to screen readers, once. */
export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <p role="status" aria-live="polite" className="loading">
      <span className="spinner" aria-hidden="true" />
      {label ?? t('app.loading')}
    </p>
  );
}
