import type { Prisma, Tenant, TenantScope } from '@academy/platform';

/** The request's own tenant (RLS shows a tenant its own row only). */
export class TenantRepository {
  constructor(private readonly db: TenantScope) {}

  current(): Promise<Tenant | null> {
    return this.db.query((tx) => tx.tenant.findUnique({ where: { id: this.db.tenantId } }));
  }

  /** `logoFileId`: undefined keeps the logo, null removes it. */
  saveSettings(settings: Record<string, unknown>, logoFileId?: string | null): Promise<Tenant> {
    return this.db.run((tx) =>
      tx.tenant.update({
        where: { id: this.db.tenantId },
        data: { settings: settings as Prisma.InputJsonObject, ...(logoFileId !== undefined ? { logoFileId } : {}) },
      }),
    );
  }
}
