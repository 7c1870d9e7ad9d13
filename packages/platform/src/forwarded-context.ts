import { createHmac, timingSafeEqual } from 'node:crypto';
import type { TenantRef, Viewer } from './tenancy';
import { isUuid } from './tenancy';

/**
 * The gateway forwards the request's verified tenant and viewer to subgraphs in headers,
 * signed with a secret only they share (HMAC-SHA256 over timestamp, tenant, viewer and the
 * client's address).
 * A subgraph refuses anything unsigned, stale or tampered with: nobody bypasses the gateway.
 */
export const FORWARDED_HEADERS = {
  tenant: 'x-academy-tenant',
  viewer: 'x-academy-viewer',
  timestamp: 'x-academy-timestamp',
  signature: 'x-academy-signature',
  /** The client's address as the gateway saw it (login protection keys on it). */
  client: 'x-academy-client',
} as const;

/** How old a signature may be (clock skew and queueing included). */
export const FORWARDED_MAX_AGE_MS = 60_000;

export interface ForwardedContext {
  tenant: TenantRef;
  viewer: Viewer | null;
  /** The client's address (absent when the request was not a client's, e.g. a subscription event). */
  clientAddress?: string | undefined;
}

export function signForwardedContext(secret: string, context: ForwardedContext, now = Date.now()): Record<string, string> {
  const tenant = Buffer.from(JSON.stringify(context.tenant)).toString('base64url');
  const viewer = context.viewer ? Buffer.from(JSON.stringify(context.viewer)).toString('base64url') : '';
  const timestamp = String(now);
  const client = context.clientAddress ? Buffer.from(context.clientAddress).toString('base64url') : '';
  return {
    [FORWARDED_HEADERS.tenant]: tenant,
    [FORWARDED_HEADERS.viewer]: viewer,
    [FORWARDED_HEADERS.timestamp]: timestamp,
    ...(client ? { [FORWARDED_HEADERS.client]: client } : {}),
    [FORWARDED_HEADERS.signature]: signature(secret, timestamp, tenant, viewer, client),
  };
}

export type ForwardedContextResult = { ok: true; context: ForwardedContext } | { ok: false; reason: 'missing' | 'stale' | 'invalid' };

/** Reads and checks the forwarded headers (lower-case names, as node:http gives them). */
export function verifyForwardedContext(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  now = Date.now(),
): ForwardedContextResult {
  const read = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const tenant = read(FORWARDED_HEADERS.tenant);
  const viewer = read(FORWARDED_HEADERS.viewer) ?? '';
  const timestamp = read(FORWARDED_HEADERS.timestamp);
  const given = read(FORWARDED_HEADERS.signature);
  const client = read(FORWARDED_HEADERS.client) ?? '';
  if (!tenant || !timestamp || !given) return { ok: false, reason: 'missing' };
  const expected = Buffer.from(signature(secret, timestamp, tenant, viewer, client));
  const received = Buffer.from(given);
  if (expected.length !== received.length || !timingSafeEqual(expected, received)) return { ok: false, reason: 'invalid' };
  const at = Number(timestamp);
  if (!Number.isFinite(at) || Math.abs(now - at) > FORWARDED_MAX_AGE_MS) return { ok: false, reason: 'stale' };
  try {
    const tenantRef = JSON.parse(Buffer.from(tenant, 'base64url').toString()) as TenantRef;
    const viewerRef = viewer ? (JSON.parse(Buffer.from(viewer, 'base64url').toString()) as Viewer) : null;
    if (!isUuid(tenantRef.id) || (viewerRef && (!isUuid(viewerRef.userId) || !isUuid(viewerRef.tenantId))))
      return { ok: false, reason: 'invalid' };
    const clientAddress = client ? Buffer.from(client, 'base64url').toString() : undefined;
    return { ok: true, context: { tenant: tenantRef, viewer: viewerRef, ...(clientAddress ? { clientAddress } : {}) } };
  } catch {
    return { ok: false, reason: 'invalid' };
  }
}

function signature(secret: string, timestamp: string, tenant: string, viewer: string, client: string): string {
  // Without a client address the signed text is what it was before the address was forwarded.
  return createHmac('sha256', secret)
    .update(client ? `${timestamp}.${tenant}.${viewer}.${client}` : `${timestamp}.${tenant}.${viewer}`)
    .digest('base64url');
}
