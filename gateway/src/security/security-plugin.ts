import type { ApolloServerPlugin } from '@apollo/server';
import { BadUserInputError } from '@academy/platform';
import type { GatewayContext } from '../gateway-context';
import type { GatewayMetrics } from '../telemetry/metrics';
import { isTokenLimitError } from './operation-limits';
import { SUBSCRIPTION_OVER_HTTP } from './request-guards';

/**
 * Counts what Apollo Server itself refuses before execution: documents over the token limit,
 * and mutations sent with GET (a link or an image could send them; Apollo answers 405). Refuses
 * (400 BAD_USER_INPUT, counted) what @apollo/gateway would fail on without a code: a document
 * whose operation cannot be chosen (several and none named, or an unknown name), and a
 * subscription over HTTP (subscriptions are graphql-ws, on the same path).
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
        async didResolveOperation({ request, document, operation }) {
          if (!operation) {
            metrics.reject('operation-name');
            throw badRequest(
              request.operationName
                ? `Unknown operation named "${request.operationName}"`
                : `The document has ${document.definitions.length} operations: name the one to run (operationName)`,
            );
          }
          if (operation.operation === 'subscription') {
            metrics.reject('subscription-over-http');
            throw badRequest(SUBSCRIPTION_OVER_HTTP);
          }
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

function badRequest(message: string): BadUserInputError {
  const error = new BadUserInputError(message);
  Object.assign(error.extensions, { http: { status: 400 } });
  return error;
}
