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
