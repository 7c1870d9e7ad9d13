import { useId, useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { describeError, TenantBrandingDocument } from '@academy/client';
import { useAcademyClient, useQuery, useSession } from '@academy/client/react';
import { useI18n, type MessageKey } from '../i18n';

const SIGN_IN_CODES = new Set(['UNAUTHENTICATED', 'RATE_LIMITED', 'BAD_USER_INPUT', 'TENANT_SUSPENDED', 'NETWORK_ERROR']);

/** Email and password; a refused sign-in says why in the person's language, next to the form. */
export function SignIn() {
  const { t, locale } = useI18n();
  const client = useAcademyClient();
  const { session } = useSession();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from ?? '/';
  const [{ data }] = useQuery({ query: TenantBrandingDocument });
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const errorId = useId();

  if (session) return <Navigate to={from} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitting(true);
    setFailure(null);
    try {
      await client.signIn(email.trim(), password);
      navigate(from, { replace: true });
    } catch (error) {
      const described = describeError(error, locale);
      setFailure(SIGN_IN_CODES.has(described.code) ? t(`signIn.error.${described.code}` as MessageKey) : described.message);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <section className="card sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t('signIn.title')}</h1>
      <p>{t('signIn.intro', { academy: data?.tenantBranding.displayName ?? 'MADFAM Academy' })}</p>
      <form onSubmit={(event) => void submit(event)} noValidate aria-describedby={failure ? errorId : undefined}>
        <label htmlFor="email">{t('signIn.email')}</label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          aria-invalid={failure ? true : undefined}
        />
        <label htmlFor="password">{t('signIn.password')}</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          aria-invalid={failure ? true : undefined}
        />
        {failure ? (
          <p id={errorId} role="alert" className="error">
            {failure}
          </p>
        ) : null}
        <button type="submit" className="button button-primary" disabled={submitting} aria-busy={submitting}>
          {submitting ? t('signIn.submitting') : t('signIn.submit')}
        </button>
      </form>
      <p>
        {t('signIn.noAccount')} <Link to="/sign-up">{t('signIn.signUp')}</Link>
      </p>
    </section>
  );
}
