import { useEffect, type ReactNode } from 'react';
import { NavLink, useNavigate } from 'react-router';
import { TenantBrandingDocument } from '@academy/client';
import { useAcademyClient, useQuery, useSession } from '@academy/client/react';
import { applyTheme } from '../branding';
import { themeOf } from '../theme';
import { LOCALES, useI18n, type Locale } from '../i18n';
import { Loading } from './Loading';
import { AREA_PERSONAS } from '../areas';
import { NotificationBell } from '../notifications/NotificationBell';

const LANGUAGE_NAMES: Record<Locale, string> = { 'es-MX': 'Español (México)', en: 'English' };

/** Header (the academy's logo, name and colour; navigation; language; sign-out) and the page. */
export function Layout({ children }: { children: ReactNode }) {
  const { t, locale, setLocale } = useI18n();
  const { session } = useSession();
  const client = useAcademyClient();
  const navigate = useNavigate();
  const [{ data, fetching, error }] = useQuery({ query: TenantBrandingDocument });
  const branding = data?.tenantBranding;

  useEffect(() => {
    applyTheme(themeOf(branding?.primaryColor));
    if (branding) document.title = branding.displayName;
  }, [branding]);

  const signOut = async () => {
    await client.signOut();
    navigate('/sign-in', { replace: true });
  };

  return (
    <>
      <a className="skip-link" href="#main" onClick={(event) => (event.preventDefault(), document.getElementById('main')?.focus())}>
        {t('app.skip')}
      </a>
      <header className="site-header">
        <div className="brand">
          {branding?.logoUrl ? <img className="brand-logo" src={branding.logoUrl} alt="" width={40} height={40} /> : null}
          <span className="brand-name" data-testid="academy-name">
            {branding?.displayName ?? 'MADFAM Academy'}
          </span>
        </div>
        {session ? (
          <nav aria-label={t('app.nav')} className="site-nav">
            <NavLink to="/" end>
              {t('app.nav.dashboard')}
            </NavLink>
            <NavLink to="/catalogue">{t('app.nav.catalogue')}</NavLink>
            {(AREA_PERSONAS.teach as readonly string[]).includes(session.user.persona) ? (
              <NavLink to="/teach">{t('app.nav.teach')}</NavLink>
            ) : null}
            {(AREA_PERSONAS.evaluate as readonly string[]).includes(session.user.persona) ? (
              <NavLink to="/evaluate">{t('app.nav.evaluate')}</NavLink>
            ) : null}
            {(AREA_PERSONAS.admin as readonly string[]).includes(session.user.persona) ? (
              <NavLink to="/admin">{t('app.nav.admin')}</NavLink>
            ) : null}
          </nav>
        ) : null}
        <div className="header-tools">
          <label className="language">
            <span>{t('app.language')}</span>
            <select value={locale} onChange={(event) => setLocale(event.target.value as Locale)}>
              {LOCALES.map((option) => (
                <option key={option} value={option} lang={option}>
                  {LANGUAGE_NAMES[option]}
                </option>
              ))}
            </select>
          </label>
          {session ? <NotificationBell /> : null}
          {session ? (
            <button type="button" className="button button-on-brand" onClick={() => void signOut()}>
              {t('app.signOut')}
            </button>
          ) : null}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {fetching && !branding ? (
          <Loading />
        ) : error && !branding ? (
          <p role="alert" className="error">
            {t('app.tenantMissing')}
          </p>
        ) : (
          children
        )}
      </main>
    </>
  );
}
