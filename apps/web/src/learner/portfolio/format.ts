import type { Locale } from '../../i18n';

/** A file's size as people read it: "48.2 kB", "3.1 MB" (decimal units, one digit). */
export function formatBytes(bytes: number, locale: Locale): string {
  const [value, unit] =
    bytes >= 1_000_000 ? [bytes / 1_000_000, 'megabyte'] : bytes >= 1_000 ? [bytes / 1_000, 'kilobyte'] : [bytes, 'byte'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(value);
}
