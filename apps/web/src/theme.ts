/** Colours from a tenant's `primaryColor`, each readable (WCAG AA, 4.5:1) on what it sits on. */
export interface Theme {
  /** The header and primary buttons. */
  brand: string;
  /** Text on `brand`: white or near-black, whichever contrasts more. */
  onBrand: string;
  /** Links and accents on the white page: the brand colour when it reads on white, else a dark fallback. */
  accent: string;
}

export const DEFAULT_BRAND = '#14532d';
const DARK_TEXT = '#111827';
const WHITE = '#ffffff';
const BLACK = '#000000';
const AA = 4.5;

function luminance(hex: string): number {
  const channels = [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: string, b: string): number {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (high + 0.05) / (low + 0.05);
}

export function themeOf(primaryColor: string | null | undefined): Theme {
  const brand = primaryColor && /^#[0-9a-f]{6}$/i.test(primaryColor) ? primaryColor.toLowerCase() : DEFAULT_BRAND;
  // Mid-tones reach 4.5:1 with neither white nor our dark grey: pure black always does then.
  const dark = contrast(brand, DARK_TEXT) >= AA ? DARK_TEXT : BLACK;
  const onBrand = contrast(brand, WHITE) >= contrast(brand, dark) ? WHITE : dark;
  const accent = contrast(brand, WHITE) >= AA ? brand : DARK_TEXT;
  return { brand, onBrand, accent };
}
