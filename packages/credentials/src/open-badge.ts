import { createLocalJWKSet, jwtVerify, SignJWT, type JWK } from 'jose';
import { SIGNING_ALGORITHM, type SigningKey } from '@academy/tokens';

export interface CredentialInput {
  certificateId: string;
  issuedAt: Date;
  /** The tenant that issues the certificate. */
  issuer: { id: string; name: string };
  learner: { id: string; name: string };
  achievement: { id: string; name: string; description: string; criteria: string };
  /** The CONOCER competency standard the course prepares for, when it has one. */
  standard?: { code: string; title: string; url: string } | null;
}

export type OpenBadgeCredential = Record<string, unknown> & { id: string; issuer: { id: string; type?: string[]; name?: string } };

export interface SignedCredential {
  /** VC-JWT as Open Badges 3.0 describes it: a JWS whose `vc` claim is the credential. */
  format: 'vc+jwt';
  jwt: string;
  /** The credential the JWT carries, for display. */
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
  };
}

/** Signs credentials with the platform's credential key (its public half is in the gateway's JWKS). */
export class CredentialSigner {
  constructor(private readonly key: SigningKey) {}

  async sign(credential: OpenBadgeCredential): Promise<SignedCredential> {
    const subject = (credential.credentialSubject as { id?: string } | undefined)?.id;
    const validFrom = Date.parse(String(credential.validFrom));
    const jwt = await new SignJWT({ vc: credential })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: this.key.kid, typ: 'JWT' })
      .setIssuer(credential.issuer.id)
      .setJti(credential.id)
      .setSubject(subject ?? credential.id)
      .setNotBefore(Math.floor(validFrom / 1000))
      .setIssuedAt(Math.floor(validFrom / 1000))
      .sign(this.key.privateKey);
    return { format: 'vc+jwt', jwt, credential };
  }
}

/** Checks a credential's VC-JWT against published keys; returns the credential it carries. */
export async function verifyCredentialJwt(jwt: string, jwks: { keys: JWK[] }): Promise<OpenBadgeCredential> {
  const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks), { algorithms: [SIGNING_ALGORITHM] });
  const credential = payload.vc as OpenBadgeCredential | undefined;
  if (!credential || credential.issuer?.id !== payload.iss || credential.id !== payload.jti) throw new Error('Not an Open Badges VC-JWT');
  return credential;
}
