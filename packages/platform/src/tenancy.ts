import type { Persona, TenantTier } from './db/generated/prisma/enums';

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
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
