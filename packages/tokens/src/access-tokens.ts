import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, errors, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { isUuid, Persona, UnauthenticatedError, type Viewer } from '@academy/platform';
import { SIGNING_ALGORITHM, type SigningKey } from './keys';

export interface TokenSettings {
  issuer: string;
  audience: string;
  /** Lifetime of an access token. */
  ttlSeconds: number;
}

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

/** Issues the platform's access tokens: who (sub), of which tenant (tid), as which persona, in which session (sid). */
export class TokenIssuer {
  constructor(
    private readonly key: SigningKey,
    private readonly settings: TokenSettings,
  ) {}

  async issue(viewer: Viewer, now = new Date()): Promise<IssuedToken> {
    const issuedAt = Math.floor(now.getTime() / 1000);
    const expiresAt = new Date((issuedAt + this.settings.ttlSeconds) * 1000);
    const claims = { tid: viewer.tenantId, persona: viewer.persona, ...(viewer.sessionId ? { sid: viewer.sessionId } : {}) };
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: this.key.kid, typ: 'JWT' })
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setSubject(viewer.userId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .setJti(randomUUID())
      .sign(this.key.privateKey);
    return { token, expiresAt };
  }
}

/** An identity provider whose tokens we also accept (Keycloak, Auth0, ...), by its JWKS URL. */
export interface ExternalIdentityProvider {
  issuer: string;
  audience: string;
  jwksUrl: string;
  algorithms: string[];
  /** Claims that carry our tenant id and persona. */
  tenantClaim: string;
  personaClaim: string;
}

/**
 * Verifies bearer tokens: ours (EdDSA only, our issuer and audience) or an external IdP's
 * (its algorithms, issuer and audience). Expiry is always checked; anything wrong is
 * UNAUTHENTICATED with a reason a client can act on.
 */
export class TokenVerifier {
  private readonly ownKeys: JWTVerifyGetKey;
  private readonly external?: { provider: ExternalIdentityProvider; keys: JWTVerifyGetKey };

  constructor(
    publicKeys: { keys: import('jose').JWK[] },
    private readonly settings: Pick<TokenSettings, 'issuer' | 'audience'>,
    external?: ExternalIdentityProvider,
  ) {
    this.ownKeys = createLocalJWKSet(publicKeys);
    if (external) this.external = { provider: external, keys: createRemoteJWKSet(new URL(external.jwksUrl), { timeoutDuration: 3000 }) };
  }

  async verify(token: string): Promise<Viewer> {
    let issuer: string | undefined;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw new UnauthenticatedError('Malformed token');
    }
    const external = this.external && issuer === this.external.provider.issuer ? this.external : undefined;
    let payload: JWTPayload;
    try {
      ({ payload } = external
        ? await jwtVerify(token, external.keys, {
            issuer: external.provider.issuer,
            audience: external.provider.audience,
            algorithms: external.provider.algorithms,
            requiredClaims: ['exp', 'sub'],
          })
        : await jwtVerify(token, this.ownKeys, {
            issuer: this.settings.issuer,
            audience: this.settings.audience,
            algorithms: [SIGNING_ALGORITHM],
            requiredClaims: ['exp', 'sub'],
          }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new UnauthenticatedError('Token expired');
      throw new UnauthenticatedError('Invalid token');
    }
    const tenantId = payload[external ? external.provider.tenantClaim : 'tid'];
    const persona = payload[external ? external.provider.personaClaim : 'persona'];
    if (
      !isUuid(payload.sub) ||
      !isUuid(tenantId) ||
      typeof persona !== 'string' ||
      !(Object.values(Persona) as string[]).includes(persona)
    ) {
      throw new UnauthenticatedError('Token lacks the user, tenant or persona');
    }
    const viewer: Viewer = { userId: payload.sub, tenantId, persona: persona as Persona };
    // Our tokens name their session; an external IdP's sessions are its own business.
    if (!external && payload.sid !== undefined) {
      if (!isUuid(payload.sid)) throw new UnauthenticatedError('Invalid token');
      viewer.sessionId = payload.sid;
    }
    return viewer;
  }
}
