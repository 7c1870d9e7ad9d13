import type { TenantRef, Viewer } from '@academy/platform';

/** What every resolver of this subgraph receives: the request's tenant and verified viewer. */
export interface SubgraphContext {
  tenant: TenantRef;
  viewer: Viewer | null;
}
