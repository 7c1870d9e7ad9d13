import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

export type Locale = 'es-MX' | 'en';
export const LOCALES: readonly Locale[] = ['es-MX', 'en'];

/** Spanish first: every message exists here, and English must say each of them too. */
const esMX = {
  'app.skip': 'Saltar al contenido',
  'app.loading': 'Cargando…',
  'app.language': 'Idioma',
  'app.signOut': 'Cerrar sesión',
  'app.nav': 'Navegación principal',
  'app.nav.dashboard': 'Mi panel',
  'app.nav.catalogue': 'Catálogo',
  'app.tenantMissing': 'No encontramos esta academia. Revisa la dirección.',
  'app.retry': 'Reintentar',
  'signIn.title': 'Inicia sesión',
  'signIn.intro': 'Entra a {academy} con tu correo y contraseña.',
  'signIn.email': 'Correo electrónico',
  'signIn.password': 'Contraseña',
  'signIn.submit': 'Entrar',
  'signIn.submitting': 'Entrando…',
  'signIn.error.UNAUTHENTICATED': 'El correo o la contraseña no son correctos. Revísalos e inténtalo de nuevo.',
  'signIn.error.RATE_LIMITED': 'Demasiados intentos. Espera un momento antes de volver a intentarlo.',
  'signIn.error.BAD_USER_INPUT': 'Escribe un correo válido y tu contraseña.',
  'signIn.error.TENANT_SUSPENDED': 'Esta academia está suspendida por ahora.',
  'signIn.error.NETWORK_ERROR': 'No pudimos conectar con la academia. Revisa tu conexión e inténtalo de nuevo.',
  'dashboard.title': 'Mi panel',
  'dashboard.greeting': 'Hola, {name}',
  'courses.title': 'Mis cursos',
  'courses.empty': 'Aún no estás inscrito en ningún curso.',
  'courses.progress': 'Avance de {title}',
  'courses.status.ACTIVE': 'En curso',
  'courses.status.COMPLETED': 'Terminado',
  'courses.status.CANCELLED': 'Cancelado',
  'certificates.title': 'Mis certificados',
  'certificates.empty': 'Todavía no tienes certificados.',
  'certificates.code': 'Folio de verificación',
  'certificates.issued': 'Emitido el {date}',
  'certificates.revoked': 'Revocado',
  'certificates.conocer': 'CONOCER',
  'certificates.getPdf': 'Obtener el PDF',
  'certificates.ofTitle': ' de {title}',
  'certificates.gettingPdf': 'Preparando el PDF…',
  'certificates.openPdf': 'Abrir el PDF',
  'certificates.requestConocer': 'Solicitar certificación CONOCER',
  'conocer.NOT_REQUESTED': 'Sin solicitar',
  'conocer.PENDING': 'Pendiente',
  'conocer.SUBMITTED': 'Enviado',
  'conocer.IN_REVIEW': 'En revisión',
  'conocer.APPROVED': 'Aprobado',
  'conocer.REJECTED': 'Rechazado',
  'conocer.FAILED': 'Falló el envío',
  'impact.title': 'Mi impacto',
  'impact.overall': 'Puntaje general',
  'impact.outOf': 'de 100',
  'impact.events': '{count} acciones registradas',
  'impact.events.one': '1 acción registrada',
  'impact.dimensions': 'Dimensiones',
  'impact.SUSTAINABILITY': 'Sustentabilidad',
  'impact.COMMUNITY': 'Comunidad',
  'impact.REGENERATIVE': 'Regeneración',
  'impact.SOCIAL_JUSTICE': 'Justicia social',
  'impact.CIRCULARITY': 'Circularidad',
  'catalogue.title': 'Catálogo de cursos',
  'catalogue.search': 'Buscar cursos',
  'catalogue.searchSubmit': 'Buscar',
  'catalogue.count': '{count} cursos',
  'catalogue.count.one': '1 curso',
  'catalogue.empty': 'No hay cursos que coincidan con tu búsqueda.',
  'catalogue.free': 'Gratis',
  'catalogue.by': 'Imparte {name}',
  'catalogue.enrolled': '{count} inscritos',
  'catalogue.enrolled.one': '1 inscrito',
  'catalogue.next': 'Siguientes',
  'catalogue.previous': 'Anteriores',
  'catalogue.page': 'Páginas del catálogo',
  'error.generic': 'Algo salió mal. Inténtalo de nuevo.',
} as const;

export type MessageKey = keyof typeof esMX;

const en: Record<MessageKey, string> = {
  'app.skip': 'Skip to content',
  'app.loading': 'Loading…',
  'app.language': 'Language',
  'app.signOut': 'Sign out',
  'app.nav': 'Main navigation',
  'app.nav.dashboard': 'My dashboard',
  'app.nav.catalogue': 'Catalogue',
  'app.tenantMissing': 'We could not find this academy. Check the address.',
  'app.retry': 'Try again',
  'signIn.title': 'Sign in',
  'signIn.intro': 'Sign in to {academy} with your email and password.',
  'signIn.email': 'Email',
  'signIn.password': 'Password',
  'signIn.submit': 'Sign in',
  'signIn.submitting': 'Signing in…',
  'signIn.error.UNAUTHENTICATED': 'The email or the password is not right. Check them and try again.',
  'signIn.error.RATE_LIMITED': 'Too many attempts. Wait a moment before trying again.',
  'signIn.error.BAD_USER_INPUT': 'Enter a valid email and your password.',
  'signIn.error.TENANT_SUSPENDED': 'This academy is suspended for now.',
  'signIn.error.NETWORK_ERROR': 'We could not reach the academy. Check your connection and try again.',
  'dashboard.title': 'My dashboard',
  'dashboard.greeting': 'Hello, {name}',
  'courses.title': 'My courses',
  'courses.empty': 'You are not enrolled in any course yet.',
  'courses.progress': 'Progress of {title}',
  'courses.status.ACTIVE': 'In progress',
  'courses.status.COMPLETED': 'Completed',
  'courses.status.CANCELLED': 'Cancelled',
  'certificates.title': 'My certificates',
  'certificates.empty': 'You have no certificates yet.',
  'certificates.code': 'Verification code',
  'certificates.issued': 'Issued on {date}',
  'certificates.revoked': 'Revoked',
  'certificates.conocer': 'CONOCER',
  'certificates.getPdf': 'Get the PDF',
  'certificates.ofTitle': ' of {title}',
  'certificates.gettingPdf': 'Preparing the PDF…',
  'certificates.openPdf': 'Open the PDF',
  'certificates.requestConocer': 'Request CONOCER certification',
  'conocer.NOT_REQUESTED': 'Not requested',
  'conocer.PENDING': 'Pending',
  'conocer.SUBMITTED': 'Submitted',
  'conocer.IN_REVIEW': 'In review',
  'conocer.APPROVED': 'Approved',
  'conocer.REJECTED': 'Rejected',
  'conocer.FAILED': 'Submission failed',
  'impact.title': 'My impact',
  'impact.overall': 'Overall score',
  'impact.outOf': 'out of 100',
  'impact.events': '{count} recorded actions',
  'impact.events.one': '1 recorded action',
  'impact.dimensions': 'Dimensions',
  'impact.SUSTAINABILITY': 'Sustainability',
  'impact.COMMUNITY': 'Community',
  'impact.REGENERATIVE': 'Regeneration',
  'impact.SOCIAL_JUSTICE': 'Social justice',
  'impact.CIRCULARITY': 'Circularity',
  'catalogue.title': 'Course catalogue',
  'catalogue.search': 'Search courses',
  'catalogue.searchSubmit': 'Search',
  'catalogue.count': '{count} courses',
  'catalogue.count.one': '1 course',
  'catalogue.empty': 'No course matches your search.',
  'catalogue.free': 'Free',
  'catalogue.by': 'Taught by {name}',
  'catalogue.enrolled': '{count} enrolled',
  'catalogue.enrolled.one': '1 enrolled',
  'catalogue.next': 'Next',
  'catalogue.previous': 'Previous',
  'catalogue.page': 'Catalogue pages',
  'error.generic': 'Something went wrong. Please try again.',
};

const MESSAGES: Record<Locale, Record<MessageKey, string>> = { 'es-MX': esMX, en };

/** The message in the locale, `{name}` placeholders filled; with `count` 1, its `.one` form when it has one. */
export function translate(locale: Locale, key: MessageKey, values: Record<string, string | number> = {}): string {
  const messages = MESSAGES[locale];
  const one = `${key}.one`;
  const message = values.count === 1 && one in messages ? messages[one as MessageKey] : messages[key];
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** The supported locale closest to a BCP 47 tag (a tenant's `locale`, the browser's): Spanish unless it is English. */
export function localeOf(tag: string | null | undefined): Locale {
  return tag?.toLowerCase().startsWith('en') ? 'en' : 'es-MX';
}

interface I18n {
  locale: Locale;
  setLocale(locale: Locale): void;
  t(key: MessageKey, values?: Record<string, string | number>): string;
  formatDate(iso: string): string;
  formatMoney(cents: number, currency: string): string;
}

const I18nContext = createContext<I18n | null>(null);
const STORAGE_KEY = 'academy.locale';

export function I18nProvider({ children, initial }: { children: ReactNode; initial?: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(() => {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return stored && (LOCALES as string[]).includes(stored) ? (stored as Locale) : (initial ?? 'es-MX');
  });
  const setLocale = useCallback((next: Locale) => {
    window.localStorage.setItem(STORAGE_KEY, next);
    setLocaleState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo<I18n>(
    () => ({
      locale,
      setLocale,
      t: (key, values) => translate(locale, key, values),
      formatDate: (iso) => new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(new Date(iso)),
      formatMoney: (cents, currency) => new Intl.NumberFormat(locale, { style: 'currency', currency }).format(cents / 100),
    }),
    [locale, setLocale],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside I18nProvider');
  return i18n;
}
