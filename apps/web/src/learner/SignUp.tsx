import { useId, useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate } from 'react-router';
import { describeError, TenantBrandingDocument } from '@academy/client';
import { useAcademyClient, useQuery, useSession } from '@academy/client/react';
import { useI18n } from '../i18n';

const MIN_PASSWORD = 10;

/** A learner's account in this academy: name, email and a password of at least 10 characters. */
export function SignUp() {
  const { t, locale } = useI18n();
  const client = useAcademyClient();
  const { session } = useSession();
  const navigate = useNavigate();
  const [{ data }] = useQuery({ query: TenantBrandingDocument });
  const [form, setForm] = useState({ name: '', email: '', password: '' });
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const errorId = useId();
  const hintId = useId();

  if (session) return <Navigate to="/" replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (form.password.length < MIN_PASSWORD) {
      setFailure(t('signUp.passwordShort', { count: MIN_PASSWORD }));
      return;
    }
    setSubmitting(true);
    setFailure(null);
    try {
      await client.signUp({ name: form.name.trim(), email: form.email.trim(), password: form.password });
      navigate('/catalogue', { replace: true });
    } catch (error) {
      const described = describeError(error, locale);
      setFailure(described.code === 'CONFLICT' ? t('signUp.taken') : described.message);
    } finally {
      setSubmitting(false);
    }
  };
  const field = (name: keyof typeof form) => ({
    id: `sign-up-${name}`,
    name,
    value: form[name],
    required: true,
    onChange: (event: React.ChangeEvent<HTMLInputElement>) => setForm((current) => ({ ...current, [name]: event.target.value })),
    'aria-invalid': failure ? true : undefined,
  });

  return (
    <section className="card sign-in" aria-labelledby="sign-up-title">
      <h1 id="sign-up-title">{t('signUp.title')}</h1>
      <p>{t('signUp.intro', { academy: data?.tenantBranding.displayName ?? 'MADFAM Academy' })}</p>
      <form onSubmit={(event) => void submit(event)} noValidate aria-describedby={failure ? errorId : undefined}>
        <label htmlFor="sign-up-name">{t('signUp.name')}</label>
        <input {...field('name')} type="text" autoComplete="name" />
        <label htmlFor="sign-up-email">{t('signIn.email')}</label>
        <input {...field('email')} type="email" autoComplete="email" />
        <label htmlFor="sign-up-password">{t('signIn.password')}</label>
        <input {...field('password')} type="password" autoComplete="new-password" aria-describedby={hintId} />
        <p id={hintId} className="muted">
          {t('signUp.passwordHint', { count: MIN_PASSWORD })}
        </p>
        {failure ? (
          <p id={errorId} role="alert" className="error">
            {failure}
          </p>
        ) : null}
        <button type="submit" className="button button-primary" disabled={submitting} aria-busy={submitting}>
          {submitting ? t('signUp.submitting') : t('signUp.submit')}
        </button>
      </form>
      <p>
        {t('signUp.haveAccount')} <Link to="/sign-in">{t('signIn.title')}</Link>
      </p>
    </section>
  );
}
