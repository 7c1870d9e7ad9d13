import type { TenantTier } from '@academy/platform';

/**
 * How much a tenant, a user and an address may ask for, in cost points (see `operationCost`)
 * per window. A tenant's tier buys a bigger budget for the tenant and for each of its users;
 * requests without a token are limited per address and tenant. `login` and `signUp` are
 * counted separately, per attempt, per address and per account: passwords are not guessed
 * at the rate of queries.
 */
export interface RateLimitPolicy {
  windowSeconds: number;
  tenant: Record<TenantTier, number>;
  user: Record<TenantTier, number>;
  /** Requests without a token, per address and tenant. */
  anonymous: number;
  login: { perAddress: number; perAccount: number; windowSeconds: number };
  signUp: { perAddress: number; windowSeconds: number };
}

/** Sized on the learner dashboard (about 110 points): a COMMUNITY learner can load it ~45 times a minute. */
export const RATE_LIMITS: RateLimitPolicy = {
  windowSeconds: 60,
  tenant: { COMMUNITY: 50_000, PROFESSIONAL: 250_000, ENTERPRISE: 1_000_000 },
  user: { COMMUNITY: 5_000, PROFESSIONAL: 20_000, ENTERPRISE: 60_000 },
  anonymous: 5_000,
  login: { perAddress: 20, perAccount: 10, windowSeconds: 600 },
  signUp: { perAddress: 10, windowSeconds: 3600 },
};

/**
 * The policy with every query budget multiplied by `factor` (windows unchanged; at least 1
 * each). Login and sign-up budgets are only ever raised by it: a smaller scale is for trying
 * the limits, not for locking people out.
 */
export function scaledPolicy(factor: number, policy: RateLimitPolicy = RATE_LIMITS): RateLimitPolicy {
  const scale = (points: number) => Math.max(1, Math.round(points * factor));
  const raise = (attempts: number) => Math.round(attempts * Math.max(1, factor));
  const tiers = (budget: Record<TenantTier, number>) =>
    Object.fromEntries(Object.entries(budget).map(([tier, points]) => [tier, scale(points)])) as Record<TenantTier, number>;
  return {
    windowSeconds: policy.windowSeconds,
    tenant: tiers(policy.tenant),
    user: tiers(policy.user),
    anonymous: scale(policy.anonymous),
    login: {
      perAddress: raise(policy.login.perAddress),
      perAccount: raise(policy.login.perAccount),
      windowSeconds: policy.login.windowSeconds,
    },
    signUp: { perAddress: raise(policy.signUp.perAddress), windowSeconds: policy.signUp.windowSeconds },
  };
}
