import { describeError } from '@academy/client';
import { useI18n } from '../i18n';

/** A failed query, said in the person's language, with a way to try again. */
export function QueryError({ error, retry }: { error: unknown; retry: () => void }) {
  const { t, locale } = useI18n();
  return (
    <div role="alert" className="error">
      <p>{describeError(error, locale).message}</p>
      <button type="button" className="button" onClick={retry}>
        {t('app.retry')}
      </button>
    </div>
  );
}
