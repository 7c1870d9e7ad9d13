import type { RefreshToken, Session, TenantScope } from '@academy/platform';

export type SessionEndReason = 'LOGOUT' | 'REFRESH_TOKEN_REUSED' | 'PASSWORD_RESET' | 'SUSPENDED';

/** One tenant's sessions and their refresh tokens (by hash only). */
export class SessionRepository {
  constructor(private readonly db: TenantScope) {}

  /** A new session with its first refresh token. */
  start(userId: string, tokenHash: string, expiresAt: Date): Promise<Session> {
    return this.db.run(async (tx) => {
      const session = await tx.session.create({ data: { tenantId: this.db.tenantId, userId, expiresAt } });
      await tx.refreshToken.create({ data: { tenantId: this.db.tenantId, sessionId: session.id, tokenHash, expiresAt } });
      return session;
    });
  }

  /** The refresh token with its session, whatever its state. */
  findToken(tokenHash: string): Promise<(RefreshToken & { session: Session }) | null> {
    return this.db.query((tx) => tx.refreshToken.findUnique({ where: { tokenHash }, include: { session: true } }));
  }

  /**
   * Spends a refresh token and adds its successor to the same session, if the token is still
   * unused (two refreshes at once: one wins); false when it was already used.
   */
  rotate(token: RefreshToken, next: { tokenHash: string; expiresAt: Date }, at: Date): Promise<boolean> {
    return this.db.run(async (tx) => {
      const { count } = await tx.refreshToken.updateMany({
        where: { tenantId: this.db.tenantId, id: token.id, usedAt: null },
        data: { usedAt: at },
      });
      if (count !== 1) return false;
      await tx.refreshToken.create({
        data: { tenantId: this.db.tenantId, sessionId: token.sessionId, tokenHash: next.tokenHash, expiresAt: next.expiresAt },
      });
      await tx.session.update({ where: { id: token.sessionId }, data: { expiresAt: next.expiresAt } });
      return true;
    });
  }

  /** Ends the given sessions (those still going); the ids of those it ended. */
  async end(where: { sessionId: string } | { userId: string; except?: string }, reason: SessionEndReason, at: Date): Promise<string[]> {
    return this.db.run(async (tx) => {
      const filter =
        'sessionId' in where ? { id: where.sessionId } : { userId: where.userId, ...(where.except ? { id: { not: where.except } } : {}) };
      const going = await tx.session.findMany({ where: { tenantId: this.db.tenantId, endedAt: null, ...filter }, select: { id: true } });
      if (going.length === 0) return [];
      const ids = going.map((session) => session.id);
      await tx.session.updateMany({ where: { id: { in: ids }, endedAt: null }, data: { endedAt: at, endReason: reason } });
      return ids;
    });
  }
}
