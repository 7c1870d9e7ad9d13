/** Which academy the page belongs to, and where its API is (always the page's own origin: no CORS). */
export interface TenantLocation {
  slug: string;
  /** How the slug was found: the path (/t/<slug>/), the host (<slug>.<domain>) or the build's default. */
  source: 'path' | 'host' | 'default';
  graphqlUrl: string;
  wsUrl: string;
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * `/t/<slug>/...` names the tenant in the path (and its API is `/t/<slug>/graphql`); else the
 * first label of a host `<slug>.<domain>` (the gateway reads the same host); else the default.
 */
export function tenantOf(location: { pathname: string; hostname: string; origin: string }, fallback: string): TenantLocation {
  const api = (path: string) => ({ graphqlUrl: `${location.origin}${path}`, wsUrl: `${location.origin.replace(/^http/, 'ws')}${path}` });
  const fromPath = /^\/t\/([^/]+)(?:\/|$)/.exec(location.pathname)?.[1];
  if (fromPath && SLUG.test(fromPath)) return { slug: fromPath, source: 'path', ...api(`/t/${fromPath}/graphql`) };
  const labels = location.hostname.toLowerCase().split('.');
  const isAddress = /^[\d.]+$/.test(location.hostname) || location.hostname.includes(':');
  const first = labels[0] ?? '';
  const named = labels.length >= 3 || (labels.length === 2 && labels[1] === 'localhost');
  if (!isAddress && named && SLUG.test(first) && first !== 'www' && first !== 'api')
    return { slug: first, source: 'host', ...api('/graphql') };
  return { slug: fallback, source: 'default', ...api('/graphql') };
}
