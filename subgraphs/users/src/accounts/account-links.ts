import { passwordResetRequested, userInvited } from '@academy/events';
import { BadUserInputError, ConflictError, hashPassword, type Persona, type TenantScope, type Tx, type User } from '@academy/platform';
import { emailIssues, nameIssues, normalizeEmail, passwordIssues, type AuthService } from '../auth/auth-service';
import type { AuthResult, Sessions } from '../sessions/sessions';
import type { AccountTokenRepository } from '../repositories/account-token-repository';
import type { UserRepository } from '../repositories/user-repository';
import { hashOneTimeToken, INVITATION_TTL_MS, newOneTimeToken, PASSWORD_RESET_TTL_MS } from './one-time-tokens';

/** A password reset's answer takes at least this long, whether the account exists or not. */
const RESET_REQUEST_FLOOR_MS = 250;

const INVALID_LINK = {
  INVITATION:
    'This invitation link is not valid: it was used, has expired, or was replaced by a newer one. Ask an admin for a new invitation.',
  PASSWORD_RESET: 'This password reset link is not valid: it was used, has expired, or was replaced by a newer one. Ask for a new one.',
} as const;

/**
 * The accounts' one-time links: invitations (an admin creates an INVITED account; its link sets
 * the password) and password resets. Each link's token is sent only in its email (through the
 * `user.invited` / `user.password-reset.requested` events and their notifications), stored only
 * as a hash, works once, and expires.
 */
export class AccountLinks {
  constructor(
    private readonly db: TenantScope,
    private readonly users: UserRepository,
    private readonly tokens: AccountTokenRepository,
    private readonly auth: AuthService,
    private readonly sessions: Sessions,
  ) {}

  async invite(input: { email: string; name: string; persona: Persona }, invitedBy: string, now = new Date()): Promise<User> {
    const email = normalizeEmail(input.email);
    const name = input.name.trim();
    const issues = [...emailIssues(email), ...nameIssues(name)];
    if (issues.length > 0) throw new BadUserInputError('Invalid invitation', issues);
    if (await this.users.findByEmail(email)) throw new ConflictError('An account with this email already exists');
    try {
      return await this.db.run(async (tx) => {
        // No password of its own until the invitation is accepted: a random one nobody knows.
        const user = await this.users.create({
          email,
          name,
          persona: input.persona,
          status: 'INVITED',
          passwordHash: await hashPassword(newOneTimeToken().token),
        });
        await writeInvitation(tx, this.db.tenantId, user.id, invitedBy, now);
        return user;
      });
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002') throw new ConflictError('An account with this email already exists');
      throw error;
    }
  }

  async acceptInvitation(token: string, password: string, now = new Date()): Promise<AuthResult> {
    const issues = passwordIssues(password);
    if (issues.length > 0) throw new BadUserInputError('Invalid password', issues);
    const passwordHash = await hashPassword(password);
    const user = await this.db.run(async () => {
      const used = await this.tokens.use(hashOneTimeToken(token), 'INVITATION', now);
      if (!used) throw new BadUserInputError(INVALID_LINK.INVITATION, [{ field: 'token', message: 'invalid or expired' }]);
      return this.users.activate(used.userId, passwordHash, now);
    });
    return this.auth.tokenFor(user);
  }

  /** Always resolves (true), in no less than RESET_REQUEST_FLOOR_MS: nothing tells whether the account exists. */
  async requestPasswordReset(emailInput: string, now = new Date()): Promise<true> {
    const started = Date.now();
    const email = normalizeEmail(emailInput);
    const user = emailIssues(email).length === 0 ? await this.users.findByEmail(email) : null;
    if (user?.status === 'ACTIVE') {
      const { token, tokenHash } = newOneTimeToken();
      const expiresAt = new Date(now.getTime() + PASSWORD_RESET_TTL_MS);
      await this.db.run(async (tx) => {
        await this.tokens.retire(user.id, 'PASSWORD_RESET', now);
        await this.tokens.create({ userId: user.id, purpose: 'PASSWORD_RESET', tokenHash, expiresAt });
        await passwordResetRequested.write(tx, {
          tenantId: this.db.tenantId,
          aggregateId: user.id,
          payload: { userId: user.id, link: `/reset-password?token=${token}`, expiresAt: expiresAt.toISOString() },
        });
      });
    }
    const left = RESET_REQUEST_FLOOR_MS - (Date.now() - started);
    if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
    return true;
  }

  async resetPassword(token: string, newPassword: string, now = new Date()): Promise<AuthResult> {
    const issues = passwordIssues(newPassword, 'newPassword');
    if (issues.length > 0) throw new BadUserInputError('Invalid password', issues);
    const passwordHash = await hashPassword(newPassword);
    const user = await this.db.run(async () => {
      const used = await this.tokens.use(hashOneTimeToken(token), 'PASSWORD_RESET', now);
      if (!used) throw new BadUserInputError(INVALID_LINK.PASSWORD_RESET, [{ field: 'token', message: 'invalid or expired' }]);
      return this.users.setPassword(used.userId, passwordHash);
    });
    // Whoever knew the old password is signed out everywhere; this is the one session left.
    await this.sessions.endAll(user.id, 'PASSWORD_RESET', undefined, now);
    return this.auth.tokenFor(user);
  }
}

/**
 * An invitation for an INVITED account, in the transaction that made the account: its one-time
 * token (stored as a hash) and the `user.invited` event that emails the link.
 */
export async function writeInvitation(tx: Tx, tenantId: string, userId: string, invitedBy: string | null, now: Date): Promise<void> {
  const { token, tokenHash } = newOneTimeToken();
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
  await tx.accountToken.create({ data: { tenantId, userId, purpose: 'INVITATION', tokenHash, expiresAt } });
  await userInvited.write(tx, {
    tenantId,
    aggregateId: userId,
    payload: { userId, invitedBy, link: `/accept-invitation?token=${token}`, expiresAt: expiresAt.toISOString() },
  });
}
