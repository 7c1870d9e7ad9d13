import type { TenantRef, Viewer } from '@academy/platform';
import type { TraceContext } from '@academy/telemetry';
import type { SubgraphWait } from './telemetry/subgraph-wait';

/** What the gateway knows about a request and forwards, signed, to the subgraphs. */
export interface GatewayContext {
  tenant: TenantRef;
  viewer: Viewer | null;
  requestId: string;
  /** Where the request came from (rate limits of anonymous requests, logins and sign-ups). */
  clientAddress: string;
  /** The tenant may run documents that are not persisted ones (see persisted-documents). */
  arbitraryDocuments: boolean;
  /** The tenant is suspended: only its public certificate verification runs (and platform admins). */
  tenantSuspended?: boolean;
  /**
   * An operation the gateway itself runs, not a client's document: a CSV export's query, or a
   * subscription event resolved for a subscriber (charged once, when it subscribed).
   */
  internal?: 'export' | 'subscription-event';
  /** Time this operation spent waiting on subgraphs (set when the operation starts). */
  subgraphWait?: SubgraphWait;
  /**
   * The trace an HTTP operation continues (the client's traceparent, its gateway span), carried
   * with it for the subgraph requests and the log line: the gateway process keeps no async context
   * when it exports no spans (main.ts).
   */
  trace?: TraceContext;
}
