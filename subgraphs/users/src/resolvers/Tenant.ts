import { brandingOf, settingsOf } from '../tenants/tenant-settings';
import type { TenantResolvers } from '../generated/resolvers-types';

export const Tenant: TenantResolvers = {
  __resolveReference: (reference, { tenant, tenants }) => (reference.id === tenant.id ? tenants.current() : null),
  branding: (tenant) => brandingOf(tenant),
  settings: (tenant) => settingsOf(tenant),
  // Listed tenants come counted; the request's own is counted in its scope, another (created, suspended) across tenants.
  userCount: (tenant, _args, { users, tenant: own, tenantAdministration, viewer }) =>
    tenant.userCount ?? (tenant.id === own.id ? users.count() : tenantAdministration.userCount(tenant.id, viewer!)),
};
