import { createHash, randomBytes } from 'node:crypto';

/** `ak_<8 hex>_<43 url-safe>`: what a tenant's integration sends as X-Api-Key. */
export const API_KEY_PATTERN = /^ak_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/;

/** A new API key secret and its prefix (the part shown to tell keys apart). */
export function newApiKeySecret(): { prefix: string; secret: string } {
  const prefix = `ak_${randomBytes(4).toString('hex')}`;
  return { prefix, secret: `${prefix}_${randomBytes(32).toString('base64url')}` };
}

/** What is stored of a secret, and what the gateway looks it up by: its SHA-256 (hex). */
export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
