import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

/** The one algorithm our own keys use; verification accepts nothing else from them. */
export const SIGNING_ALGORITHM = 'EdDSA';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  /** The public half as published in the JWKS. */
  publicJwk: JWK;
}

/** A new Ed25519 key as a private JWK (what operators put in AUTH_SIGNING_KEY and the like). */
export async function generateSigningJwk(kid: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { crv: 'Ed25519', extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALGORITHM, use: 'sig' };
}

/** Reads a private Ed25519 JWK (JSON text or object). */
export async function loadSigningKey(jwk: string | JWK): Promise<SigningKey> {
  const parsed = typeof jwk === 'string' ? (JSON.parse(jwk) as JWK) : jwk;
  if (parsed.kty !== 'OKP' || parsed.crv !== 'Ed25519' || !parsed.d || !parsed.kid) {
    throw new Error('A signing key must be a private Ed25519 JWK with a kid');
  }
  const privateKey = (await importJWK(parsed, SIGNING_ALGORITHM)) as CryptoKey;
  const { d: _private, ...publicJwk } = parsed;
  return { kid: parsed.kid, privateKey, publicJwk: { ...publicJwk, alg: SIGNING_ALGORITHM, use: 'sig' } };
}

/** The JWKS document that publishes public keys. */
export function jwksOf(keys: { publicJwk: JWK }[]): { keys: JWK[] } {
  return { keys: keys.map((key) => key.publicJwk) };
}
