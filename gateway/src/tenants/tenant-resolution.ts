import type { IncomingMessage } from 'node:http';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** /t/<slug>/graphql and /t/<slug>/exports/...: the tenant in the path. */
export const TENANT_PATH = /^\/t\/([^/]+)(\/graphql\/?|\/exports\/[^/]+|\/verify\/[^/]+)$/;

export type TenantSource = 'header' | 'path' | 'subdomain' | 'default';

export interface TenantRequest {
  /** The slug asked for, or null when the request names none. */
  slug: string | null;
  source: TenantSource | null;
  /** Whether the slug is well-formed (a malformed one is an unknown tenant, not a server error). */
  wellFormed: boolean;
}

/**
 * Which tenant a request is for, in this order: the X-Tenant header (slug), the path
 * /t/<slug>/graphql (or /t/<slug>/exports/...), the subdomain <slug>.<baseDomain>, then the
 * configured default.
 */
export function tenantOfRequest(
  req: Pick<IncomingMessage, 'headers'>,
  pathname: string,
  baseDomain: string,
  defaultSlug?: string,
): TenantRequest {
  const header = req.headers['x-tenant'];
  const fromHeader = (Array.isArray(header) ? header[0] : header)?.trim().toLowerCase();
  if (fromHeader) return describe(fromHeader, 'header');
  const fromPath = TENANT_PATH.exec(pathname)?.[1];
  if (fromPath) return describe(decodedPathSegment(fromPath).toLowerCase(), 'path');
  const host = String(req.headers.host ?? '')
    .toLowerCase()
    .replace(/:\d+$/, '');
  const suffix = `.${baseDomain.toLowerCase()}`;
  if (host.endsWith(suffix)) {
    const label = host.slice(0, -suffix.length);
    if (label && !label.includes('.') && label !== 'www' && label !== 'api') return describe(label, 'subdomain');
  }
  if (defaultSlug) return describe(defaultSlug, 'default');
  return { slug: null, source: null, wellFormed: false };
}

function describe(slug: string, source: TenantSource): TenantRequest {
  return { slug, source, wellFormed: SLUG.test(slug) };
}

/** The GraphQL endpoints: /graphql, and /t/<slug>/graphql. */
export function isGraphQLPath(pathname: string): boolean {
  return pathname === '/graphql' || pathname === '/graphql/' || /^\/graphql\/?$/.test(TENANT_PATH.exec(pathname)?.[2] ?? '');
}

/** A download under /exports/<name>, or /t/<slug>/exports/<name>: its name. */
export function exportName(pathname: string): string | null {
  const route = TENANT_PATH.exec(pathname)?.[2] ?? pathname;
  return /^\/exports\/([^/]+)$/.exec(route)?.[1] ?? null;
}

/** A path segment percent-decoded; malformed escapes (`%`, `%zz`) stay as sent (no tenant is named so). */
function decodedPathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
