import type { JWK } from 'jose';

/** Entries per status list: 131,072 bits (16 KB), the Bitstring Status List's minimum size, for herd privacy. */
export const STATUS_LIST_SIZE = 131_072;

/**
 * Who issues a tenant's credentials and where verifiers find what they need, all on the
 * tenant's host `<slug>.<baseDomain>` (the gateway serves it):
 * - the issuer is `did:web:<slug>.<baseDomain>` (a port, if any, percent-encoded as did:web
 *   requires), whose DID document is https://<host>/.well-known/did.json;
 * - status list n (1-based) of the tenant is https://<host>/credentials/status/<n>.
 * The courses subgraph (issuing), the certifications subgraph (status lists) and the gateway
 * (serving) build it from the same slug and BASE_DOMAIN, so the three agree.
 */
export class CredentialIssuer {
  readonly host: string;
  readonly did: string;
  /** https://<host>: achievements and pages live under it. */
  readonly origin: string;

  constructor(slug: string, baseDomain: string) {
    this.host = `${slug}.${baseDomain}`.toLowerCase();
    this.did = `did:web:${this.host.replace(/:/g, '%3A')}`;
    this.origin = `https://${this.host}`;
  }

  /** The verification method of a key: `<did>#<kid>` (the VC-JWT header's `kid`). */
  keyId(kid: string): string {
    return `${this.did}#${kid}`;
  }

  statusListUrl(list: number): string {
    return `${this.origin}/credentials/status/${list}`;
  }

  /** The DID document: each credential key a JsonWebKey2020 verification method, for assertions and authentication. */
  didDocument(keys: JWK[]): DidDocument {
    const methods = keys.map((key) => ({
      id: this.keyId(key.kid!),
      type: 'JsonWebKey2020' as const,
      controller: this.did,
      publicKeyJwk: publicJwk(key),
    }));
    return {
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
      id: this.did,
      verificationMethod: methods,
      assertionMethod: methods.map((method) => method.id),
      authentication: methods.map((method) => method.id),
    };
  }
}

export interface DidDocument {
  '@context': string[];
  id: string;
  verificationMethod: { id: string; type: 'JsonWebKey2020'; controller: string; publicKeyJwk: JWK }[];
  assertionMethod: string[];
  authentication: string[];
}

/** Which list an index is in (1-based) and its bit in that list. */
export function statusListPosition(index: number): { list: number; bit: number } {
  return { list: Math.floor(index / STATUS_LIST_SIZE) + 1, bit: index % STATUS_LIST_SIZE };
}

/** A public JWK as a DID document carries it: key material, kid and alg; never a private part. */
function publicJwk(key: JWK): JWK {
  const { kty, crv, x, y, n, e, kid, alg } = key;
  return Object.fromEntries(Object.entries({ kty, crv, x, y, n, e, kid, alg }).filter(([, value]) => value !== undefined)) as JWK;
}
