import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../gateway-context';
import type { GatewayMetrics } from './metrics';

/**
 * How long one operation waited on subgraphs: the time during which at least one of its
 * subgraph fetches was in flight. Fetches in parallel count once (the slowest of them), fetches
 * in sequence add up: the slowest path through the query plan. The rest is the gateway's own.
 */
export class SubgraphWait {
  private inFlight = 0;
  private since = 0;
  private waited = 0;

  begin(): void {
    if (this.inFlight++ === 0) this.since = performance.now();
  }

  end(): void {
    if (--this.inFlight === 0) this.waited += performance.now() - this.since;
  }

  /** Milliseconds waited so far (fetches still in flight count up to now). */
  get ms(): number {
    return this.waited + (this.inFlight > 0 ? performance.now() - this.since : 0);
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * Gives every operation its SubgraphWait, observes the gateway's own share of its time
 * (`academy_gateway_own_duration_seconds`) and tells the client in `Server-Timing`
 * (`gateway;dur=<own ms>, subgraphs;dur=<waited ms>`), as browsers' developer tools show it.
 */
export function subgraphWaitPlugin(metrics: GatewayMetrics): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      const wait = new SubgraphWait();
      contextValue.subgraphWait = wait;
      return {
        async willSendResponse({ response }) {
          const waited = wait.ms;
          const own = Math.max(0, performance.now() - started - waited);
          metrics.ownDuration.observe(own / 1000);
          response.http.headers.set('server-timing', `gateway;dur=${round(own)}, subgraphs;dur=${round(waited)}`);
        },
      };
    },
  };
}
