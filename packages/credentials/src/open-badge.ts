import { createLocalJWKSet, jwtVerify, SignJWT, type JWK } from 'jose';
import { loadRsaSigningKey, loadSigningKey, RSA_SIGNING_ALGORITHM, SIGNING_ALGORITHM, type SigningKey } from '@academy/tokens';
import type { BitstringStatusListEntry, StatusListCredential } from './status-list';

export interface CredentialInput {
  certificateId: string;
  issuedAt: Date;
  /** The tenant that issues the certificate: its `did:web` (CredentialIssuer.did) and name. */
  issuer: { id: string; name: string };
  learner: { id: string; name: string };
  achievement: { id: string; name: string; description: string; criteria: string };
  /** The CONOCER competency standard the course prepares for, when it has one. */
  standard?: { code: string; title: string; url: string } | null;
  /** Its bit in the issuer's revocation status list (statusListEntry). */
  status?: BitstringStatusListEntry | null;
}

export type OpenBadgeCredential = Record<string, unknown> & { id: string; issuer: { id: string; type?: string[]; name?: string } };

/** The credential as one VC-JWT per signing key. */
export interface CredentialProof {
  alg: SigningKey['algorithm'];
  jwt: string;
}

export interface SignedCredential {
  /** VC-JWT as Open Badges 3.0 describes it: a JWS whose `vc` claim is the credential. */
  format: 'vc+jwt';
  /** The EdDSA VC-JWT (the first of `proofs`). */
  jwt: string;
  /** The same credential signed by each credential key: EdDSA, then RS256 (the algorithm every OB 3.0 verifier supports) when the platform has an RSA key. */
  proofs: CredentialProof[];
  /** The credential the JWTs carry, for display. */
  credential: OpenBadgeCredential;
}

/** An Open Badges 3.0 OpenBadgeCredential: the learner achieved the course, aligned to its EC standard. */
export function openBadgeCredential(input: CredentialInput): OpenBadgeCredential {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: `urn:uuid:${input.certificateId}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: input.issuer.id, type: ['Profile'], name: input.issuer.name },
    validFrom: input.issuedAt.toISOString(),
    name: input.achievement.name,
    credentialSubject: {
      id: `urn:uuid:${input.learner.id}`,
      type: ['AchievementSubject'],
      identifier: [{ type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: input.learner.name }],
      achievement: {
        id: input.achievement.id,
        type: ['Achievement'],
        achievementType: 'Course',
        name: input.achievement.name,
        description: input.achievement.description,
        criteria: { narrative: input.achievement.criteria },
        ...(input.standard
          ? {
              alignment: [
                {
                  type: ['Alignment'],
                  targetName: input.standard.title,
                  targetCode: input.standard.code,
                  targetFramework: 'RENEC (CONOCER)',
                  targetType: 'ext:CompetencyStandard',
                  targetUrl: input.standard.url,
                },
              ],
            }
          : {}),
      },
    },
    ...(input.status ? { credentialStatus: input.status } : {}),
  };
}

/**
 * Signs credentials with the platform's credential keys (their public halves are in the gateway's
 * JWKS and in each tenant's DID document): the Ed25519 key always, the RSA key when there is one.
 * The JWT header's `kid` is the key's verification method in the issuer's DID document
 * (`<did>#<kid>`) when the issuer is a DID, else the bare kid.
 */
export class CredentialSigner {
  private readonly keys: SigningKey[];

  constructor(key: SigningKey, rsaKey?: SigningKey | null) {
    if (key.algorithm !== SIGNING_ALGORITHM || (rsaKey && rsaKey.algorithm !== RSA_SIGNING_ALGORITHM))
      throw new Error('Credentials are signed with an Ed25519 key and, optionally, an RSA key');
    this.keys = rsaKey ? [key, rsaKey] : [key];
  }

  /** The signer of CREDENTIAL_SIGNING_KEY (Ed25519) and, when given, CREDENTIAL_RSA_SIGNING_KEY (private JWKs). */
  static async load(signingKey: string | JWK, rsaSigningKey?: string | JWK | null): Promise<CredentialSigner> {
    return new CredentialSigner(await loadSigningKey(signingKey), rsaSigningKey ? await loadRsaSigningKey(rsaSigningKey) : null);
  }

  /** The public keys, as the JWKS and the DID documents publish them. */
  get publicJwks(): JWK[] {
    return this.keys.map((key) => key.publicJwk);
  }

  async sign(credential: OpenBadgeCredential): Promise<SignedCredential> {
    const claims = {
      issuer: credential.issuer.id,
      id: credential.id,
      subject: (credential.credentialSubject as { id?: string } | undefined)?.id ?? credential.id,
      validFrom: String(credential.validFrom),
    };
    const proofs = await Promise.all(this.keys.map(async (key) => ({ alg: key.algorithm, jwt: await vcJwt(credential, claims, key) })));
    return { format: 'vc+jwt', jwt: proofs[0]!.jwt, proofs, credential };
  }

  /** A status list credential as a VC-JWT: RS256 when there is an RSA key (every OB 3.0 verifier checks it), else EdDSA. */
  signStatusList(credential: StatusListCredential): Promise<string> {
    const claims = {
      issuer: credential.issuer,
      id: credential.id,
      subject: credential.credentialSubject.id,
      validFrom: credential.validFrom,
    };
    return vcJwt(credential, claims, this.keys.at(-1)!);
  }
}

/** The VC-JWT of a credential (VC-JWT claims: iss, jti, sub, nbf and iat at validFrom; the credential in `vc`). */
function vcJwt(vc: object, claims: { issuer: string; id: string; subject: string; validFrom: string }, key: SigningKey): Promise<string> {
  const validFrom = Math.floor(Date.parse(claims.validFrom) / 1000);
  return new SignJWT({ vc })
    .setProtectedHeader({ alg: key.algorithm, kid: claims.issuer.startsWith('did:') ? `${claims.issuer}#${key.kid}` : key.kid, typ: 'JWT' })
    .setIssuer(claims.issuer)
    .setJti(claims.id)
    .setSubject(claims.subject)
    .setNotBefore(validFrom)
    .setIssuedAt(validFrom)
    .sign(key.privateKey);
}

/**
 * Checks a credential's VC-JWT (EdDSA or RS256) against published keys; returns the credential it
 * carries. A `kid` that is a DID URL names the key by its fragment, and its DID must be the issuer.
 */
export async function verifyCredentialJwt(jwt: string, jwks: { keys: JWK[] }): Promise<OpenBadgeCredential> {
  const keys = createLocalJWKSet(jwks);
  const { payload, protectedHeader } = await jwtVerify(
    jwt,
    (header, token) => keys({ ...header, ...(header.kid ? { kid: header.kid.slice(header.kid.lastIndexOf('#') + 1) } : {}) }, token),
    { algorithms: [SIGNING_ALGORITHM, RSA_SIGNING_ALGORITHM] },
  );
  const credential = payload.vc as OpenBadgeCredential | undefined;
  const keyController = protectedHeader.kid?.includes('#')
    ? protectedHeader.kid.slice(0, protectedHeader.kid.lastIndexOf('#'))
    : payload.iss;
  if (!credential || credential.issuer?.id !== payload.iss || credential.id !== payload.jti || keyController !== payload.iss)
    throw new Error('Not an Open Badges VC-JWT');
  return credential;
}
