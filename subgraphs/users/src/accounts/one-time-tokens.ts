import { createHash, randomBytes } from 'node:crypto';

/** A one-time link's secret (256 bits, URL-safe) and what is stored of it: only its SHA-256. */
export function newOneTimeToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashOneTimeToken(token) };
}

export function hashOneTimeToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** How long each link works. */
export const INVITATION_TTL_MS = 7 * 24 * 3_600_000;
export const PASSWORD_RESET_TTL_MS = 30 * 60_000;
