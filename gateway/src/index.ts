export { createGateway, type Gateway, type GatewayOptions } from './gateway';
export { composeSupergraph, readSupergraphConfig } from './supergraph/compose';
export { TenantDirectory } from './tenants/tenant-directory';
export { tenantOfRequest } from './tenants/tenant-resolution';
export { RATE_LIMITS, scaledPolicy, type RateLimitPolicy } from './rate-limits/rate-limit-policy';
export { operationCost } from './rate-limits/operation-cost';
export { OPERATION_LIMITS } from './security/operation-limits';
export { SUBGRAPH_FETCH, type SubgraphFetchTuning } from './supergraph/subgraph-fetcher';
