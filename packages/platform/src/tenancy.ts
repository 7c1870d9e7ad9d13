import type { ApiKeyScope, Persona, TenantTier } from './db/generated/prisma/enums';

/** The tenant a request belongs to, as resolved by the gateway (header, path or subdomain). */
export interface TenantRef {
  id: string;
  slug: string;
  name: string;
  tier: TenantTier;
}

/** Who is asking: verified by the gateway from the JWT, forwarded to subgraphs signed. */
export interface Viewer {
  userId: string;
  tenantId: string;
  persona: Persona;
  /** The session (refresh-token family) an access token of ours belongs to; ended, its tokens stop. */
  sessionId?: string;
  /**
   * A tenant's own integration, signed in with an API key (`userId` is the key's id): the gateway
   * lets it run only what its scopes allow.
   */
  apiKey?: { id: string; scopes: ApiKeyScope[] };
  /**
   * The token's subject is no user of the tenant (an external identity provider's identity the
   * gateway found no principal for): its claims are all there is, and it has no `me`.
   */
  external?: true;
}

/**
 * The signed-in person as a reference to their User: what `Query.me` answers in every subgraph
 * that adds fields to User, so that the planner can send `me { ... }` straight to the subgraph
 * whose fields it asks for. Null when nobody is signed in, for an API key (its userId is the
 * key's id) and for an external identity: the people the users subgraph finds no row for.
 */
export function meOf(viewer: Viewer | null | undefined): { id: string } | null {
  return viewer && !viewer.apiKey && !viewer.external ? { id: viewer.userId } : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/**
 * A report's period as another subgraph sends it in an entity key (TenantAnalytics: tenantId,
 * from, to): the range, only for the request's own tenant and only when both ends are times;
 * null otherwise (a key naming another tenant, which the gateway never sends, resolves nothing).
 */
export function ownTenantRange(
  key: { tenantId: string; from: string | Date; to: string | Date },
  tenant: TenantRef,
): { tenantId: string; from: Date; to: Date } | null {
  const from = new Date(key.from);
  const to = new Date(key.to);
  return key.tenantId === tenant.id && !Number.isNaN(from.getTime()) && !Number.isNaN(to.getTime())
    ? { tenantId: key.tenantId, from, to }
    : null;
}
