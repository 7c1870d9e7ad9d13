import type { AccountToken, AccountTokenPurpose, TenantScope } from '@academy/platform';

/** One tenant's one-time tokens (invitations, password resets), by their hash only. */
export class AccountTokenRepository {
  constructor(private readonly db: TenantScope) {}

  create(token: { userId: string; purpose: AccountTokenPurpose; tokenHash: string; expiresAt: Date }): Promise<AccountToken> {
    return this.db.run((tx) => tx.accountToken.create({ data: { ...token, tenantId: this.db.tenantId } }));
  }

  /**
   * Uses a token: marks it used if it is of this purpose, unused and unexpired, in the same
   * statement (two uses at once: one wins); the token, or null when it cannot be used.
   */
  async use(tokenHash: string, purpose: AccountTokenPurpose, at: Date): Promise<AccountToken | null> {
    return this.db.run(async (tx) => {
      const { count } = await tx.accountToken.updateMany({
        where: { tenantId: this.db.tenantId, tokenHash, purpose, usedAt: null, expiresAt: { gt: at } },
        data: { usedAt: at },
      });
      return count === 1 ? tx.accountToken.findUnique({ where: { tokenHash } }) : null;
    });
  }

  /** Earlier unused links of the same purpose stop working when a new one is sent. */
  async retire(userId: string, purpose: AccountTokenPurpose, at: Date): Promise<void> {
    await this.db.run((tx) =>
      tx.accountToken.updateMany({ where: { tenantId: this.db.tenantId, userId, purpose, usedAt: null }, data: { usedAt: at } }),
    );
  }
}
