import type { Tenant, TenantScope } from '@academy/platform';

/** The request's own tenant (RLS shows a tenant its own row only). */
export class TenantRepository {
  constructor(private readonly db: TenantScope) {}

  current(): Promise<Tenant | null> {
    return this.db.run((tx) => tx.tenant.findUnique({ where: { id: this.db.tenantId } }));
  }
}
