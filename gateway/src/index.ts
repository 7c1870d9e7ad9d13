export { createGateway, type Gateway, type GatewayOptions } from './gateway';
export { composeSupergraph, readSupergraphConfig } from './supergraph/compose';
export { TenantDirectory } from './tenants/tenant-directory';
export { tenantOfRequest } from './tenants/tenant-resolution';
