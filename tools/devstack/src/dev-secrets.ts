import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { generateSigningJwk } from '@academy/tokens';

/** Keys and secrets of a developer's local stack; production sets them in the environment. */
export interface DevSecrets {
  /** Private Ed25519 JWK that signs access tokens (users subgraph). */
  authSigningKey: string;
  /** Private Ed25519 JWK that signs certificates (courses subgraph, seed). */
  credentialSigningKey: string;
  /** HMAC secret the gateway signs forwarded context with. */
  gatewaySecret: string;
}

export async function generateSecrets(): Promise<DevSecrets> {
  return {
    authSigningKey: JSON.stringify(await generateSigningJwk(`auth-${randomBytes(4).toString('hex')}`)),
    credentialSigningKey: JSON.stringify(await generateSigningJwk(`credential-${randomBytes(4).toString('hex')}`)),
    gatewaySecret: randomBytes(32).toString('base64url'),
  };
}

/** Made once per checkout, kept in <dataDir>/secrets.json (readable by its owner only). */
export async function devSecrets(dataDir: string): Promise<DevSecrets> {
  const file = path.join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevSecrets;
  const secrets = await generateSecrets();
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/** The public halves, as the gateway publishes them. */
export function publicJwks(privateJwk: string): string {
  const { d: _secret, ...publicJwk } = JSON.parse(privateJwk) as Record<string, unknown>;
  return JSON.stringify({ keys: [publicJwk] });
}
