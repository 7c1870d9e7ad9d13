import { apiKeyCacheKey, apiKeyRevokedChannel } from '@academy/events';
import {
  BadUserInputError,
  NotFoundError,
  type ApiKey,
  type ApiKeyScope,
  type Redis,
  type TenantScope,
  type Viewer,
} from '@academy/platform';
import { hashApiKey, newApiKeySecret } from '@academy/tokens';
import type { ApiKeyRepository } from '../repositories/api-key-repository';

/** Longer than any gateway keeps a key's answer (so none reloads a stale one). */
const REVOKED_MEMORY_SECONDS = 86_400;

/**
 * A tenant's integration keys. The secret (`ak_<8 hex>_<43 url-safe>`) is returned once, at
 * creation, and kept only as its SHA-256; its first part (`prefix`) tells keys apart. The gateway
 * authenticates `X-Api-Key` as an integration of the tenant limited to the key's scopes.
 * Revoking is audited and reaches every gateway at once.
 */
export class ApiKeys {
  constructor(
    private readonly db: TenantScope,
    private readonly keys: ApiKeyRepository,
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  list(): Promise<ApiKey[]> {
    return this.keys.list();
  }

  async create(nameInput: string, scopes: ApiKeyScope[], by: Viewer): Promise<{ apiKey: ApiKey; secret: string }> {
    const name = nameInput.trim();
    const issues = [];
    if (name.length === 0 || name.length > 80) issues.push({ field: 'name', message: 'must be 1 to 80 characters' });
    if (scopes.length === 0) issues.push({ field: 'scopes', message: 'must name at least one scope' });
    if (issues.length > 0) throw new BadUserInputError('Invalid API key', issues);
    const { prefix, secret } = newApiKeySecret();
    const apiKey = await this.db.run(async (tx) => {
      const created = await this.keys.create({
        name,
        prefix,
        secretHash: hashApiKey(secret),
        scopes: [...new Set(scopes)],
        createdById: by.userId,
      });
      await tx.auditLog.create({
        data: {
          tenantId: this.db.tenantId,
          actorId: by.userId,
          actorPersona: by.persona,
          action: 'api-key.created',
          targetType: 'ApiKey',
          targetId: created.id,
          metadata: { name, scopes: created.scopes },
        },
      });
      return created;
    });
    return { apiKey, secret };
  }

  async revoke(id: string, by: Viewer, now = new Date()): Promise<ApiKey> {
    const existing = await this.keys.find(id);
    if (!existing) throw new NotFoundError('API key');
    if (existing.revokedAt) return existing;
    const revoked = await this.db.run(async (tx) => {
      const changed = await this.keys.revoke(id, now);
      await tx.auditLog.create({
        data: {
          tenantId: this.db.tenantId,
          actorId: by.userId,
          actorPersona: by.persona,
          action: 'api-key.revoked',
          targetType: 'ApiKey',
          targetId: id,
        },
      });
      return changed!;
    });
    await this.redis.set(apiKeyCacheKey(this.keyPrefix, existing.secretHash), 'null', 'EX', REVOKED_MEMORY_SECONDS);
    await apiKeyRevokedChannel.publish(this.redis, this.keyPrefix, this.db.tenantId, {
      tenantId: this.db.tenantId,
      apiKeyId: id,
      secretHash: existing.secretHash,
    });
    return revoked;
  }
}
