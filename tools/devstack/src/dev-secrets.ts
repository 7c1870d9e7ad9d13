import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { generateRsaSigningJwk, generateSigningJwk } from '@academy/tokens';

/** Keys and secrets of a developer's local stack; production sets them in the environment. */
export interface DevSecrets {
  /** Private Ed25519 JWK that signs access tokens (users subgraph). */
  authSigningKey: string;
  /** Private Ed25519 JWK that signs certificates (courses subgraph, seed) and status lists (certifications subgraph). */
  credentialSigningKey: string;
  /** Private RSA JWK that signs them RS256 as well. */
  credentialRsaSigningKey: string;
  /** HMAC secret the gateway signs forwarded context with. */
  gatewaySecret: string;
}

export async function generateSecrets(): Promise<DevSecrets> {
  return {
    authSigningKey: JSON.stringify(await generateSigningJwk(`auth-${randomBytes(4).toString('hex')}`)),
    credentialSigningKey: JSON.stringify(await generateSigningJwk(`credential-${randomBytes(4).toString('hex')}`)),
    credentialRsaSigningKey: JSON.stringify(await generateRsaSigningJwk(`credential-rsa-${randomBytes(4).toString('hex')}`)),
    gatewaySecret: randomBytes(32).toString('base64url'),
  };
}

/** Made once per checkout, kept in <dataDir>/secrets.json (readable by its owner only). */
export async function devSecrets(dataDir: string): Promise<DevSecrets> {
  const file = path.join(dataDir, 'secrets.json');
  const kept = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<DevSecrets>) : {};
  // A checkout's secrets stay; one that predates a secret gets it added.
  const secrets = { ...(await generateSecrets()), ...kept };
  if (Object.keys(kept).length === Object.keys(secrets).length) return secrets;
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/** The public halves, as the gateway publishes them. */
export function publicJwks(...privateJwks: string[]): string {
  const publicJwk = (privateJwk: string) => {
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...rest } = JSON.parse(privateJwk) as Record<string, unknown>;
    return rest;
  };
  return JSON.stringify({ keys: privateJwks.map(publicJwk) });
}
