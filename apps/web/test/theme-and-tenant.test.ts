import { tenantOf } from '../src/tenant.js';
import { contrast, themeOf } from '../src/theme.js';

describe('tenant of the page', () => {
  const at = (url: string) => {
    const { pathname, hostname, origin } = new URL(url);
    return tenantOf({ pathname, hostname, origin }, 'demo');
  };

  it('reads /t/<slug>/, then <slug>.<domain>, then the default; the API on the same origin', () => {
    expect(at('http://localhost:4000/t/cooperativa-sol/')).toEqual({
      slug: 'cooperativa-sol',
      source: 'path',
      graphqlUrl: 'http://localhost:4000/t/cooperativa-sol/graphql',
      wsUrl: 'ws://localhost:4000/t/cooperativa-sol/graphql',
    });
    expect(at('https://tec-norte.academy.mx/')).toEqual({
      slug: 'tec-norte',
      source: 'host',
      graphqlUrl: 'https://tec-norte.academy.mx/graphql',
      wsUrl: 'wss://tec-norte.academy.mx/graphql',
    });
    expect(at('http://demo.localhost:4000/').source).toBe('host');
    for (const url of [
      'http://localhost:4000/',
      'http://127.0.0.1:4000/',
      'https://www.academy.mx/',
      'http://localhost:4000/t/Not_A_Slug/',
    ])
      expect({ url, ...at(url) }).toMatchObject({ url, slug: 'demo', source: 'default' });
  });
});

describe('theme from the tenant colour', () => {
  it('keeps text on the brand and accents on white at 4.5:1 at least, falling back to dark text', () => {
    const dark = themeOf('#14532d');
    expect(dark).toEqual({ brand: '#14532d', onBrand: '#ffffff', accent: '#14532d' });
    const light = themeOf('#FACC15');
    expect(light).toEqual({ brand: '#facc15', onBrand: '#111827', accent: '#111827' });
    for (const color of ['#14532d', '#facc15', '#0ea5e9', '#ef4444', '#7c3aed', '#ffffff', '#000000', '#767676', '#2f9e6e', '#d9480f']) {
      const theme = themeOf(color);
      expect({ color, text: contrast(theme.brand, theme.onBrand) >= 4.5, accent: contrast(theme.accent, '#ffffff') >= 4.5 }).toEqual({
        color,
        text: true,
        accent: true,
      });
    }
    expect(themeOf('red')).toEqual(themeOf(null));
  });
});
