import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../gateway-context';
import { rateLimitHeaders, type Admission, type OperationBudgets } from './operation-budgets';

/** Charges each HTTP operation once it is parsed and validated, and tells the client what is left. */
export function rateLimitPlugin(budgets: OperationBudgets): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      let admission: Admission | null = null;
      return {
        async didResolveOperation({ contextValue, schema, document, operation, request }) {
          // A subscription was charged when it subscribed, not per event.
          if (!operation || contextValue.internal === 'subscription-event') return;
          admission = await budgets.admit(contextValue, schema, document, operation, request.variables ?? {});
        },
        async willSendResponse({ response }) {
          if (!admission) return;
          for (const [name, value] of Object.entries(rateLimitHeaders(admission.charge))) response.http.headers.set(name, value);
        },
      };
    },
  };
}
