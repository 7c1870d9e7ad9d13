import { brandingOf, settingsOf } from '../tenants/tenant-settings';
import type { TenantResolvers } from '../generated/resolvers-types';

export const Tenant: TenantResolvers = {
  __resolveReference: (reference, { tenant, tenants }) => (reference.id === tenant.id ? tenants.current() : null),
  branding: (tenant) => brandingOf(tenant),
  settings: (tenant) => settingsOf(tenant),
};
