import {
  BadUserInputError,
  ConflictError,
  hashPassword,
  RateLimitedError,
  UnauthenticatedError,
  verifyPassword,
  type InputIssue,
  type User,
} from '@academy/platform';
import type { TokenIssuer } from '@academy/tokens';
import type { UserRepository } from '../repositories/user-repository';

/** Failed logins in a row before an account is locked, and for how long. */
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60_000;
export const MIN_PASSWORD_LENGTH = 10;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface AuthResult {
  token: string;
  expiresAt: Date;
  user: User;
}

/** Sign-up and login for the request's tenant; tokens carry user id, tenant id and persona. */
export class AuthService {
  /** Verified against when the email is unknown, so that both paths take the same time. */
  private static decoyHash: Promise<string> | undefined;

  constructor(
    private readonly users: UserRepository,
    private readonly tokens: TokenIssuer,
    private readonly tenantId: string,
  ) {}

  async signUp(input: { email: string; password: string; name: string }): Promise<AuthResult> {
    const email = normalizeEmail(input.email);
    const name = input.name.trim();
    const issues: InputIssue[] = [];
    issues.push(...emailIssues(email), ...passwordIssues(input.password), ...nameIssues(name));
    if (issues.length > 0) throw new BadUserInputError('Invalid sign-up', issues);
    if (await this.users.findByEmail(email)) throw new ConflictError('An account with this email already exists');
    let user: User;
    try {
      user = await this.users.create({ email, name, passwordHash: await hashPassword(input.password), persona: 'LEARNER' });
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002') throw new ConflictError('An account with this email already exists');
      throw error;
    }
    return this.tokenFor(user);
  }

  async login(emailInput: string, password: string, now = new Date()): Promise<AuthResult> {
    const email = normalizeEmail(emailInput);
    const user = EMAIL.test(email) ? await this.users.findByEmail(email) : null;
    if (!user) {
      await verifyPassword(await AuthService.decoy(), password);
      throw new UnauthenticatedError('Invalid email or password');
    }
    if (user.lockedUntil && user.lockedUntil > now) {
      throw new RateLimitedError(Math.ceil((user.lockedUntil.getTime() - now.getTime()) / 1000));
    }
    // An account not ACTIVE (INVITED: no password of its own yet) answers as a wrong password does.
    if (!(await verifyPassword(user.passwordHash, password)) || user.status !== 'ACTIVE') {
      // After a lock has expired, counting starts again.
      const restart = user.lockedUntil !== null;
      const failures = restart ? 1 : user.failedLoginAttempts + 1;
      const lockedUntil = failures >= MAX_FAILED_LOGINS ? new Date(now.getTime() + LOCKOUT_MS) : null;
      await this.users.recordFailedLogin(user.id, { restart, lockedUntil });
      if (lockedUntil) throw new RateLimitedError(LOCKOUT_MS / 1000);
      throw new UnauthenticatedError('Invalid email or password');
    }
    return this.tokenFor(await this.users.recordLogin(user.id, now));
  }

  /** A session for an account that has just proven who it is (login, sign-up, an accepted invitation, a reset password). */
  async tokenFor(user: User): Promise<AuthResult> {
    const { token, expiresAt } = await this.tokens.issue({ userId: user.id, tenantId: this.tenantId, persona: user.persona });
    return { token, expiresAt, user };
  }

  private static decoy(): Promise<string> {
    AuthService.decoyHash ??= hashPassword('decoy password that matches nothing');
    return AuthService.decoyHash;
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function emailIssues(email: string, field = 'email'): InputIssue[] {
  return !EMAIL.test(email) || email.length > 254 ? [{ field, message: 'must be an email address' }] : [];
}

export function passwordIssues(password: string, field = 'password'): InputIssue[] {
  if (password.length < MIN_PASSWORD_LENGTH) return [{ field, message: `must be at least ${MIN_PASSWORD_LENGTH} characters` }];
  if (password.length > 256) return [{ field, message: 'must be at most 256 characters' }];
  return [];
}

export function nameIssues(name: string, field = 'name'): InputIssue[] {
  return name.length === 0 || name.length > 120 ? [{ field, message: 'must be 1 to 120 characters' }] : [];
}
