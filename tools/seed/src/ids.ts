import { createHash } from 'node:crypto';

/** Namespace of every seeded id (a fixed random UUID). */
const NAMESPACE = Buffer.from('5c1f3a8e9b7d4e2fa6c04d8b1e9f7a21', 'hex');

/** A name-based (version 5) UUID: the same kind and key give the same id on every run. */
export function seedId(kind: string, key: string): string {
  const digest = createHash('sha1').update(NAMESPACE).update(`${kind}:${key}`).digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A deterministic pseudo-random number in [0, 1) for a key (for spreading dates and amounts). */
export function seedFraction(key: string): number {
  return createHash('sha1').update(key).digest().readUInt32BE(0) / 2 ** 32;
}

/** A deterministic 256-bit secret for a key, URL-safe (43 characters, like a one-time link's token). */
export function seedSecret(kind: string, key: string): string {
  return createHash('sha256').update(NAMESPACE).update(`secret:${kind}:${key}`).digest('base64url');
}

/**
 * A deterministic API key secret in the format the gateway accepts (`ak_<8 hex>_<43 url-safe>`,
 * as `newApiKeySecret` of @academy/tokens makes them at random), and its prefix.
 */
export function seedApiKeySecret(key: string): { prefix: string; secret: string } {
  const prefix = `ak_${createHash('sha256').update(NAMESPACE).update(`api-key-prefix:${key}`).digest('hex').slice(0, 8)}`;
  return { prefix, secret: `${prefix}_${seedSecret('api-key', key)}` };
}

/** What is stored of a secret (an API key's or a one-time link's token): its SHA-256, hex. */
export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
