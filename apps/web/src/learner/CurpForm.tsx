import { useId, useState, type FormEvent } from 'react';
import { describeError, UpdateMyProfileDocument } from '@academy/client';
import { useMutation } from '@academy/client/react';
import { isValidCurp } from '@academy/curp';
import { useI18n } from '../i18n';
import './learner.css';

/** Asks for the learner's CURP (CONOCER and the DC-3 need it) and saves it to their profile. */
export function CurpForm({ onSaved }: { onSaved: () => void }) {
  const { t, locale } = useI18n();
  const id = useId();
  const [curp, setCurp] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [{ fetching, error }, update] = useMutation(UpdateMyProfileDocument);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const value = curp.trim().toUpperCase();
    // The same check as the API's (format, date, RENAPO's check digit), to say so before sending.
    if (!isValidCurp(value)) return setInvalid(true);
    setInvalid(false);
    const result = await update({ input: { curp: value } });
    if (result.data) onSaved();
  };
  return (
    <form className="curp-form" onSubmit={(event) => void save(event)} noValidate>
      <p>{t('curp.why')}</p>
      <label htmlFor={id}>{t('curp.label')}</label>
      <div className="inline">
        <input
          id={id}
          value={curp}
          maxLength={18}
          autoComplete="off"
          aria-invalid={invalid || error ? true : undefined}
          onChange={(event) => setCurp(event.target.value)}
        />
        <button type="submit" className="button button-primary" disabled={fetching}>
          {t('curp.save')}
        </button>
      </div>
      {invalid ? (
        <p role="alert" className="error">
          {t('curp.invalid')}
        </p>
      ) : error ? (
        <p role="alert" className="error">
          {describeError(error, locale).message}
        </p>
      ) : null}
    </form>
  );
}
