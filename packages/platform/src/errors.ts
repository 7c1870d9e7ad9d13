import { GraphQLError } from 'graphql';

/** The error codes of the API contract; every expected failure carries one in `extensions.code`. */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'PAYMENT_REQUIRED',
  'RATE_LIMITED',
  'TENANT_NOT_FOUND',
  'TENANT_MISMATCH',
  'TENANT_SUSPENDED',
  'UPSTREAM_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/**
 * An expected failure a client may see: a message safe to show and a code of the contract.
 * Anything else that escapes a resolver is masked as INTERNAL_SERVER_ERROR.
 */
export class PublicError extends GraphQLError {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
    this.code = code;
    this.name = 'PublicError';
  }
}

export class UnauthenticatedError extends PublicError {
  constructor(message = 'Authentication required') {
    super('UNAUTHENTICATED', message);
  }
}

export class ForbiddenError extends PublicError {
  constructor(message = 'Not allowed') {
    super('FORBIDDEN', message);
  }
}

export class NotFoundError extends PublicError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} not found`);
  }
}

export interface InputIssue {
  field: string;
  message: string;
}

export class BadUserInputError extends PublicError {
  constructor(message: string, issues: InputIssue[] = []) {
    super('BAD_USER_INPUT', message, issues.length > 0 ? { issues } : {});
  }
}

export class ConflictError extends PublicError {
  constructor(message: string) {
    super('CONFLICT', message);
  }
}

/** Enrolling in a paid course without a PAID order for it (checkout first). */
export class PaymentRequiredError extends PublicError {
  constructor(message = 'This course is paid: check out first') {
    super('PAYMENT_REQUIRED', message);
  }
}

export class RateLimitedError extends PublicError {
  constructor(retryAfterSeconds: number) {
    super('RATE_LIMITED', `Too many requests; retry after ${retryAfterSeconds} s`, { retryAfter: retryAfterSeconds });
  }
}

export class TenantNotFoundError extends PublicError {
  constructor() {
    super('TENANT_NOT_FOUND', 'Unknown tenant');
  }
}

export class TenantMismatchError extends PublicError {
  constructor() {
    super('TENANT_MISMATCH', 'The token belongs to another tenant');
  }
}

export class TenantSuspendedError extends PublicError {
  constructor() {
    super('TENANT_SUSPENDED', 'This academy is suspended; its certificates can still be verified');
  }
}

export class UpstreamUnavailableError extends PublicError {
  /** `cause`: what failed (logged, never sent to a client). */
  constructor(what: string, cause?: unknown) {
    super('UPSTREAM_UNAVAILABLE', `${what} is temporarily unavailable`);
    if (cause !== undefined) this.cause = cause;
  }
}
