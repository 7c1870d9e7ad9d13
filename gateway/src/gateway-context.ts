import type { TenantRef, Viewer } from '@academy/platform';

/** What the gateway knows about a request and forwards, signed, to the subgraphs. */
export interface GatewayContext {
  tenant: TenantRef;
  viewer: Viewer | null;
  requestId: string;
}
