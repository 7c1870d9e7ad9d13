import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import * as admin from './messages/admin';
import * as common from './messages/common';
import * as evaluator from './messages/evaluator';
import * as instructor from './messages/instructor';
import * as learner from './messages/learner';
import * as portfolio from './messages/portfolio';

export type Locale = 'es-MX' | 'en';
export const LOCALES: readonly Locale[] = ['es-MX', 'en'];

/**
 * Spanish first: every message exists in es-MX, and English must say each of them too (each
 * area of the app keeps its messages in its own file under messages/).
 */
const esMX = { ...common.esMX, ...learner.esMX, ...instructor.esMX, ...admin.esMX, ...evaluator.esMX, ...portfolio.esMX };

export type MessageKey = keyof typeof esMX;

const en: Record<MessageKey, string> = { ...common.en, ...learner.en, ...instructor.en, ...admin.en, ...evaluator.en, ...portfolio.en };

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
