import type { Theme } from './theme';

/** Sets the theme as CSS custom properties (through the CSSOM: allowed by the page's CSP). */
export function applyTheme(theme: Theme): void {
  const style = document.documentElement.style;
  style.setProperty('--brand', theme.brand);
  style.setProperty('--on-brand', theme.onBrand);
  style.setProperty('--accent', theme.accent);
}
