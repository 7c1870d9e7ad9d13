import { createHash, randomBytes } from 'node:crypto';
import { UnauthenticatedError, type Logger, type TenantScope, type User } from '@academy/platform';
import type { TokenIssuer } from '@academy/tokens';
import type { AccessChanges } from '../accounts/access-changes';
import type { SessionEndReason, SessionRepository } from '../repositories/session-repository';
import type { UserRepository } from '../repositories/user-repository';

/** What signing in gives: a short-lived access token and the session's single-use refresh token. */
export interface AuthResult {
  token: string;
  expiresAt: Date;
  refreshToken: string;
  refreshExpiresAt: Date;
  user: User;
}

export interface SessionSettings {
  /** How long a refresh token works (each refresh gives a new one). */
  refreshTtlSeconds: number;
}

const ENDED = 'This session has ended; sign in again';

/**
 * Sessions: each sign-in starts one (a refresh-token family). Its access tokens are short-lived
 * and carry its id; its refresh tokens are opaque, stored as SHA-256, and work once: refreshing
 * spends one and returns the next. A spent one presented again means it was copied: the whole
 * session ends (the incident is audited and logged). Ending a session (logout, reuse, a password
 * reset, suspension) is announced to every gateway, where its access tokens stop at once.
 */
export class Sessions {
  constructor(
    private readonly db: TenantScope,
    private readonly sessions: SessionRepository,
    private readonly users: UserRepository,
    private readonly tokens: TokenIssuer,
    private readonly changes: AccessChanges,
    private readonly settings: SessionSettings,
    private readonly logger: Logger,
  ) {}

  /** A new session for an account that has just proven who it is. */
  async start(user: User, now = new Date()): Promise<AuthResult> {
    const refresh = this.newRefreshToken(now);
    const session = await this.sessions.start(user.id, refresh.tokenHash, refresh.expiresAt);
    return this.issue(user, session.id, refresh, now);
  }

  /** Spends a refresh token: a new access token and the next refresh token of the same session. */
  async refresh(refreshToken: string, now = new Date()): Promise<AuthResult> {
    const found = await this.sessions.findToken(hashRefreshToken(refreshToken));
    if (!found) throw new UnauthenticatedError('Invalid refresh token; sign in again');
    if (found.session.endedAt) throw new UnauthenticatedError(ENDED);
    if (found.usedAt) return this.reused(found.session.userId, found.sessionId, found.id, now);
    if (found.expiresAt <= now) throw new UnauthenticatedError('Refresh token expired; sign in again');
    const [user] = await this.users.findByIds([found.session.userId]);
    if (!user || user.status !== 'ACTIVE') {
      await this.end({ sessionId: found.sessionId }, found.session.userId, 'SUSPENDED', now);
      throw new UnauthenticatedError(user?.status === 'SUSPENDED' ? 'This account is suspended' : ENDED);
    }
    const next = this.newRefreshToken(now);
    // Spent by someone else a moment ago (two refreshes with one token): that is reuse too.
    if (!(await this.sessions.rotate(found, next, now))) return this.reused(user.id, found.sessionId, found.id, now);
    return this.issue(user, found.sessionId, next, now);
  }

  /** Ends the refresh token's session (its access tokens too); false when the token is not one of ours. */
  async logout(refreshToken: string, now = new Date()): Promise<boolean> {
    const found = await this.sessions.findToken(hashRefreshToken(refreshToken));
    if (!found) return false;
    await this.end({ sessionId: found.sessionId }, found.session.userId, 'LOGOUT', now);
    return true;
  }

  /** Ends every session of the account (but `except`): a password reset, a suspension. */
  async endAll(userId: string, reason: SessionEndReason, except?: string, now = new Date()): Promise<void> {
    await this.end({ userId, ...(except ? { except } : {}) }, userId, reason, now);
  }

  private async reused(userId: string, sessionId: string, tokenId: string, now: Date): Promise<never> {
    await this.db.run(async (tx) => {
      await this.sessions.end({ sessionId }, 'REFRESH_TOKEN_REUSED', now);
      await tx.auditLog.create({
        data: {
          tenantId: this.db.tenantId,
          actorId: userId,
          action: 'session.refresh-token-reused',
          targetType: 'Session',
          targetId: sessionId,
          reason: 'A refresh token was presented after it had been used: the session ended',
          metadata: { refreshTokenId: tokenId },
        },
      });
    });
    this.logger.warn(
      { tenantId: this.db.tenantId, userId, sessionId, refreshTokenId: tokenId },
      'incident: refresh token reused; session ended',
    );
    await this.changes.sessionsEnded(this.db.tenantId, userId, [sessionId]);
    throw new UnauthenticatedError('This refresh token was already used: its session has ended; sign in again');
  }

  private async end(
    where: { sessionId: string } | { userId: string; except?: string },
    userId: string,
    reason: SessionEndReason,
    now: Date,
  ): Promise<void> {
    const ended = await this.sessions.end(where, reason, now);
    if (ended.length > 0) await this.changes.sessionsEnded(this.db.tenantId, userId, ended);
  }

  private async issue(user: User, sessionId: string, refresh: { token: string; expiresAt: Date }, now: Date): Promise<AuthResult> {
    const { token, expiresAt } = await this.tokens.issue(
      { userId: user.id, tenantId: this.db.tenantId, persona: user.persona, sessionId },
      now,
    );
    return { token, expiresAt, refreshToken: refresh.token, refreshExpiresAt: refresh.expiresAt, user };
  }

  private newRefreshToken(now: Date): { token: string; tokenHash: string; expiresAt: Date } {
    const token = `rt_${randomBytes(32).toString('base64url')}`;
    return { token, tokenHash: hashRefreshToken(token), expiresAt: new Date(now.getTime() + this.settings.refreshTtlSeconds * 1000) };
  }
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
