import type { ApiKey, ApiKeyScope, TenantScope } from '@academy/platform';

/** One tenant's API keys (their secrets' hashes only). */
export class ApiKeyRepository {
  constructor(private readonly db: TenantScope) {}

  create(key: { name: string; prefix: string; secretHash: string; scopes: ApiKeyScope[]; createdById: string }): Promise<ApiKey> {
    return this.db.run((tx) => tx.apiKey.create({ data: { ...key, tenantId: this.db.tenantId } }));
  }

  /** Newest first, revoked ones included. */
  list(): Promise<ApiKey[]> {
    return this.db.query((tx) =>
      tx.apiKey.findMany({ where: { tenantId: this.db.tenantId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
    );
  }

  find(id: string): Promise<ApiKey | null> {
    return this.db.rows('ApiKey', 'id', [id]).then((rows) => rows[0] ?? null);
  }

  /** Revokes it once (a second revocation keeps the first time). */
  async revoke(id: string, at: Date): Promise<ApiKey | null> {
    return this.db.run(async (tx) => {
      await tx.apiKey.updateMany({ where: { tenantId: this.db.tenantId, id, revokedAt: null }, data: { revokedAt: at } });
      return tx.apiKey.findFirst({ where: { tenantId: this.db.tenantId, id } });
    });
  }
}
