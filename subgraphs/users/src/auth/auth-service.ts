import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  hashPassword,
  RateLimitedError,
  UnauthenticatedError,
  verifyPassword,
  type InputIssue,
  type User,
} from '@academy/platform';
import type { UserRepository } from '../repositories/user-repository';
import type { AuthResult, Sessions } from '../sessions/sessions';
import type { LoginDecisions } from './login-decisions';
import type { LoginThrottle } from './login-throttle';

export const MIN_PASSWORD_LENGTH = 10;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Sign-up and login for the request's tenant: each starts a session (see Sessions). */
export class AuthService {
  /** Verified against when the email is unknown, so that both paths take the same time. */
  private static decoyHash: Promise<string> | undefined;

  constructor(
    private readonly users: UserRepository,
    private readonly sessions: Sessions,
    private readonly tenantId: string,
    private readonly throttle: LoginThrottle,
    private readonly decisions: LoginDecisions,
  ) {}

  /** `open`: the tenant takes accounts by sign-up (TenantSettings.selfSignUp); otherwise by invitation only. */
  async signUp(input: { email: string; password: string; name: string }, open = true): Promise<AuthResult> {
    if (!open) throw new ForbiddenError('This academy takes new accounts by invitation only');
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

  /** `address`: the client's, as the gateway saw it (wrong passwords are counted per account and address). */
  async login(emailInput: string, password: string, address: string, now = new Date()): Promise<AuthResult> {
    const email = normalizeEmail(emailInput);
    const user = EMAIL.test(email) ? await this.users.findByEmail(email) : null;
    if (!user) {
      await verifyPassword(await AuthService.decoy(), password);
      this.decisions.record('unknown-account', { tenantId: this.tenantId, address });
      throw new UnauthenticatedError('Invalid email or password');
    }
    const wait = await this.throttle.waitMs(this.tenantId, user.id, address, now.getTime());
    if (wait > 0) {
      this.decisions.record('throttled', { tenantId: this.tenantId, userId: user.id, address, waitMs: wait });
      throw new RateLimitedError(Math.ceil(wait / 1000));
    }
    // An account not ACTIVE (INVITED: no password of its own yet) answers as a wrong password does.
    const rightPassword = await verifyPassword(user.passwordHash, password);
    if (!rightPassword || user.status !== 'ACTIVE') {
      const failures = await this.throttle.failed(this.tenantId, user.id, address, now.getTime());
      await this.users.recordFailedLogin(user.id);
      this.decisions.record(rightPassword ? 'not-active' : 'wrong-password', {
        tenantId: this.tenantId,
        userId: user.id,
        address,
        failures,
      });
      throw new UnauthenticatedError('Invalid email or password');
    }
    await this.throttle.succeeded(this.tenantId, user.id, address);
    this.decisions.record('signed-in', { tenantId: this.tenantId, userId: user.id, address });
    return this.tokenFor(await this.users.recordLogin(user.id, now));
  }

  /** A session for an account that has just proven who it is (login, sign-up, an accepted invitation, a reset password). */
  tokenFor(user: User): Promise<AuthResult> {
    return this.sessions.start(user);
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
