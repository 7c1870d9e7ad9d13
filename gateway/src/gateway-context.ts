import type { TenantRef, Viewer } from '@academy/platform';

/** What the gateway knows about a request and forwards, signed, to the subgraphs. */
export interface GatewayContext {
  tenant: TenantRef;
  viewer: Viewer | null;
  requestId: string;
  /** Where the request came from (rate limits of anonymous requests, logins and sign-ups). */
  clientAddress: string;
}
