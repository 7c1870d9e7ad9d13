import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

/** The algorithm of our Ed25519 keys: access tokens are signed with it, and verified with nothing else. */
export const SIGNING_ALGORITHM = 'EdDSA';
/** The algorithm every Open Badges 3.0 verifier supports: certificates are signed with it too (an RSA key). */
export const RSA_SIGNING_ALGORITHM = 'RS256';

export interface SigningKey {
  kid: string;
  /** What the key signs with: EdDSA (Ed25519) or RS256 (RSA, certificates only). */
  algorithm: typeof SIGNING_ALGORITHM | typeof RSA_SIGNING_ALGORITHM;
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
  return { kid: parsed.kid, algorithm: SIGNING_ALGORITHM, privateKey, publicJwk: { ...publicJwk, alg: SIGNING_ALGORITHM, use: 'sig' } };
}

/** A new RSA key (2048 bits) as a private JWK (CREDENTIAL_RSA_SIGNING_KEY). */
export async function generateRsaSigningJwk(kid: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair(RSA_SIGNING_ALGORITHM, { modulusLength: 2048, extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: RSA_SIGNING_ALGORITHM, use: 'sig' };
}

/** Reads a private RSA JWK of at least 2048 bits (JSON text or object) that signs RS256. */
export async function loadRsaSigningKey(jwk: string | JWK): Promise<SigningKey> {
  const parsed = typeof jwk === 'string' ? (JSON.parse(jwk) as JWK) : jwk;
  if (parsed.kty !== 'RSA' || !parsed.d || !parsed.n || !parsed.kid || Buffer.from(parsed.n, 'base64url').length < 256) {
    throw new Error('An RSA signing key must be a private RSA JWK of at least 2048 bits with a kid');
  }
  const privateKey = (await importJWK(parsed, RSA_SIGNING_ALGORITHM)) as CryptoKey;
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, oth: _oth, ...publicJwk } = parsed;
  return {
    kid: parsed.kid,
    algorithm: RSA_SIGNING_ALGORITHM,
    privateKey,
    publicJwk: { ...publicJwk, alg: RSA_SIGNING_ALGORITHM, use: 'sig' },
  };
}

/** The JWKS document that publishes public keys. */
export function jwksOf(keys: { publicJwk: JWK }[]): { keys: JWK[] } {
  return { keys: keys.map((key) => key.publicJwk) };
}
