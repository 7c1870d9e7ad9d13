import { generateKeyPairSync } from 'node:crypto';
import { jwtVerify, SignJWT, importJWK, type JWK } from 'jose';
import { generateRsaSigningJwk, generateSigningJwk, jwksOf, loadRsaSigningKey, loadSigningKey } from '../src/keys';

describe('signing keys', () => {
  it('an RSA key signs RS256 and publishes its public half only', async () => {
    const jwk = await generateRsaSigningJwk('rsa-1');
    const key = await loadRsaSigningKey(JSON.stringify(jwk));
    expect({ kid: key.kid, algorithm: key.algorithm }).toEqual({ kid: 'rsa-1', algorithm: 'RS256' });
    expect(key.publicJwk).toEqual({ kty: 'RSA', n: jwk.n, e: 'AQAB', kid: 'rsa-1', alg: 'RS256', use: 'sig' });
    expect(Buffer.from(jwk.n!, 'base64url')).toHaveLength(256);
    const jwt = await new SignJWT({ a: 1 }).setProtectedHeader({ alg: 'RS256' }).sign(key.privateKey);
    expect((await jwtVerify(jwt, await importJWK(jwksOf([key]).keys[0]!, 'RS256'))).payload).toEqual({ a: 1 });
  });

  it('an Ed25519 key says it signs EdDSA', async () => {
    const key = await loadSigningKey(await generateSigningJwk('ed-1'));
    expect({ kid: key.kid, algorithm: key.algorithm }).toEqual({ kid: 'ed-1', algorithm: 'EdDSA' });
  });

  it('refuses what is not a private RSA JWK of 2048 bits or more with a kid', async () => {
    const message = 'An RSA signing key must be a private RSA JWK of at least 2048 bits with a kid';
    // jose will not make one this small; node will.
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const small = { ...(privateKey.export({ format: 'jwk' }) as JWK), kid: 'small' };
    const { d: _d, ...publicOnly } = await generateRsaSigningJwk('public');
    const { kid: _kid, ...noKid } = await generateRsaSigningJwk('x');
    for (const jwk of [small, publicOnly, noKid, await generateSigningJwk('ed')])
      await expect(loadRsaSigningKey(jwk)).rejects.toThrow(message);
  });
});
