import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../gateway-context';
import type { GatewayMetrics } from '../telemetry/metrics';
import { isTokenLimitError } from './operation-limits';

/**
 * Counts what Apollo Server itself refuses before execution: documents over the token limit,
 * and mutations sent with GET (a link or an image could send them; Apollo answers 405).
 */
export function securityPlugin(metrics: GatewayMetrics): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async parsingDidStart() {
          return async (error?: Error) => {
            if (error && isTokenLimitError(error.message)) metrics.reject('tokens');
          };
        },
        async didEncounterErrors({ request, errors, operation }) {
          const refusedGet =
            request.http?.method === 'GET' &&
            operation &&
            operation.operation !== 'query' &&
            errors.some((e) => (e.extensions?.http as { status?: number } | undefined)?.status === 405);
          if (refusedGet) metrics.reject('get-mutation');
        },
      };
    },
  };
}
