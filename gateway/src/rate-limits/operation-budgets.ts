import { HeaderMap } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { GatewayContext } from '../gateway-context';
import { operationCost } from './operation-cost';
import type { RateLimitPolicy } from './rate-limit-policy';
import type { Bucket, Charge, RateLimiter } from './rate-limiter';

export interface Admission {
  cost: number;
  charge: Charge;
}

/**
 * Which budgets an operation draws on: its tenant's and its user's (by tier), or its address's
 * when no token came; `login` and `signUp` also one attempt from the address's and the
 * account's budgets.
 */
export class OperationBudgets {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly policy: RateLimitPolicy,
  ) {}

  /** Charges the operation; throws RATE_LIMITED (429, Retry-After) when a budget ran out. */
  async admit(
    context: GatewayContext,
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown> = {},
  ): Promise<Admission> {
    const fragments = Object.fromEntries(
      document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
    );
    const cost = operationCost(schema, operation, fragments, variables);
    const { tenant, viewer } = context;
    const window = this.policy.windowSeconds;
    const charges: { bucket: Bucket; cost: number }[] = [
      { bucket: { scope: 'tenant', key: tenant.id, points: this.policy.tenant[tenant.tier], windowSeconds: window }, cost },
    ];
    charges.push(
      viewer
        ? {
            bucket: { scope: 'user', key: `${tenant.id}:${viewer.userId}`, points: this.policy.user[tenant.tier], windowSeconds: window },
            cost,
          }
        : {
            bucket: {
              scope: 'anonymous',
              key: `${tenant.id}:${context.clientAddress}`,
              points: this.policy.anonymous,
              windowSeconds: window,
            },
            cost,
          },
    );
    for (const field of operation.operation === 'mutation' ? operation.selectionSet.selections : []) {
      if (field.kind !== Kind.FIELD) continue;
      if (field.name.value === 'login') {
        const { login } = this.policy;
        charges.push({
          bucket: { scope: 'login-address', key: context.clientAddress, points: login.perAddress, windowSeconds: login.windowSeconds },
          cost: 1,
        });
        const email = field.arguments?.find((arg) => arg.name.value === 'email');
        const account = email ? valueFromASTUntyped(email.value, variables) : null;
        if (typeof account === 'string') {
          charges.push({
            bucket: {
              scope: 'login-account',
              // Per account *and address*: somebody else's attempts never use up the owner's budget.
              key: `${tenant.id}:${account.trim().toLowerCase()}:${context.clientAddress}`,
              points: login.perAccount,
              windowSeconds: login.windowSeconds,
            },
            cost: 1,
          });
        }
      }
      if (field.name.value === 'signUp') {
        const { signUp } = this.policy;
        charges.push({
          bucket: { scope: 'signup-address', key: context.clientAddress, points: signUp.perAddress, windowSeconds: signUp.windowSeconds },
          cost: 1,
        });
      }
    }
    const charge = await this.limiter.charge(charges);
    if (charge.exceeded) {
      const retryAfter = charge.exceeded.resetSeconds;
      throw new GraphQLError(`Too many requests; retry after ${retryAfter} s`, {
        extensions: {
          code: 'RATE_LIMITED',
          retryAfter,
          http: { status: 429, headers: new HeaderMap(Object.entries({ ...rateLimitHeaders(charge), 'retry-after': String(retryAfter) })) },
        },
      });
    }
    return { cost, charge };
  }
}

/**
 * The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers) of the tightest
 * budget: its size and window, what is left of it, and seconds until it starts over.
 */
export function rateLimitHeaders(charge: Charge): Record<string, string> {
  const { bucket, remaining, resetSeconds } = charge.tightest;
  return {
    'ratelimit-limit': String(bucket.points),
    'ratelimit-remaining': String(Math.max(0, remaining)),
    'ratelimit-reset': String(resetSeconds),
    'ratelimit-policy': `${bucket.points};w=${bucket.windowSeconds}`,
  };
}
