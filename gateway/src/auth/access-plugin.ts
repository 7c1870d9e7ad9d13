import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type OperationDefinitionNode } from 'graphql';
import { ForbiddenError, TenantSuspendedError, type PublicError } from '@academy/platform';
import type { GatewayContext } from '../gateway-context';
import { apiKeyRefusal } from './api-key-scopes';

/** What a suspended tenant still answers: anyone checking one of its certificates. */
const PUBLIC_WHILE_SUSPENDED = new Set(['verifyCertificate', '__typename']);

/**
 * What the request's principal may run at all, decided once the operation is known: on a
 * suspended tenant only public certificate verification (platform admins excepted: they
 * reactivate it); an API key only what its scopes allow (see api-key-scopes).
 */
export function accessPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, schema, document, operation }) {
          // A subscription's events were allowed when it subscribed.
          if (!operation || contextValue.internal === 'subscription-event') return;
          const { viewer } = contextValue;
          if (contextValue.tenantSuspended && viewer?.persona !== 'PLATFORM_ADMIN' && !publicWhileSuspended(operation))
            throw withStatus(new TenantSuspendedError(), 403);
          if (viewer?.apiKey) {
            const refusal = apiKeyRefusal(schema, document, operation, viewer.apiKey.scopes);
            if (refusal) throw withStatus(new ForbiddenError(refusal), 403);
          }
        },
      };
    },
  };
}

function publicWhileSuspended(operation: OperationDefinitionNode): boolean {
  return (
    operation.operation === 'query' &&
    operation.selectionSet.selections.every(
      (selection) => selection.kind === Kind.FIELD && PUBLIC_WHILE_SUSPENDED.has(selection.name.value),
    )
  );
}

function withStatus(error: PublicError, status: number): PublicError {
  Object.assign(error.extensions, { http: { status } });
  return error;
}
