import { gunzipSync } from 'node:zlib';
import { verifyCredential } from 'did-jwt-vc';
import { Resolver, type DIDResolver } from 'did-resolver';
import { decodeProtectedHeader, importJWK, jwtVerify, type JWTPayload } from 'jose';
import { getResolver } from 'web-did-resolver';
import { loadRsaSigningKey, loadSigningKey } from '@academy/tokens';
import {
  createCompliantCourse,
  createTenant,
  httpRequest,
  asPersonaOf,
  startSupergraph,
  TEST_BASE_DOMAIN,
  testEnvironment,
  type RunningSupergraph,
  type TestTenant,
} from '@academy/testing';

interface StatusEntry {
  id: string;
  type: string;
  statusPurpose: string;
  statusListIndex: string;
  statusListCredential: string;
}
interface IssuedCredential {
  format: string;
  jwt: string;
  proofs: { alg: string; jwt: string }[];
  credential: { id: string; issuer: { id: string }; credentialStatus: StatusEntry };
}

/**
 * web-did-resolver fetches https://<host>/.well-known/did.json with cross-fetch. The test has no
 * DNS or TLS for tenant hosts: its transport (only that) takes the URL to the gateway over http,
 * with the URL's host as Host. Resolution itself (did:web to URL, the document's id) is the library's.
 */
let mockHttpsTransport: (url: string) => Promise<{ status: number; statusText: string; json(): Promise<unknown> }>;
jest.mock('cross-fetch', () => ({ __esModule: true, default: (url: string) => mockHttpsTransport(url) }));

/**
 * A verifier that shares no code with the platform: did-jwt-vc (with did-resolver) checks the
 * EdDSA VC-JWT against the issuer's did:web document, jose checks the RS256 one against the key
 * that document lists, and the status is read from the status list credential the credential
 * names, as the W3C Bitstring Status List describes it. Only the transport is the test's: an
 * https://<tenant host>/... URL is fetched from the gateway with that Host (above).
 */
function independentVerifier(supergraph: RunningSupergraph) {
  const get = (url: string, headers: Record<string, string> = {}) => {
    const { host, pathname } = new URL(url);
    return httpRequest(`${supergraph.origin}${pathname}`, { headers: { host, ...headers } });
  };
  mockHttpsTransport = async (url) => {
    const response = await get(url);
    return { status: response.status, statusText: String(response.status), json: async () => JSON.parse(response.text) as unknown };
  };
  // web-did-resolver's types come from its own copy of did-resolver.
  const resolver = new Resolver(getResolver() as unknown as Record<string, DIDResolver>);

  /** jose on a VC-JWT, with the key its header's kid names in the issuer's DID document. */
  async function verifyWithDidKey(jwt: string, algorithm: string): Promise<JWTPayload> {
    const { kid } = decodeProtectedHeader(jwt);
    const did = kid!.split('#')[0]!;
    const { didDocument } = await resolver.resolve(did);
    const method = didDocument?.verificationMethod?.find((candidate) => candidate.id === kid);
    if (!method?.publicKeyJwk || !didDocument?.assertionMethod?.includes(kid!)) throw new Error(`no assertion key ${kid}`);
    const { payload } = await jwtVerify(jwt, await importJWK(method.publicKeyJwk, algorithm), { algorithms: [algorithm], issuer: did });
    return payload;
  }

  return {
    resolver,
    /** VC v2 / Open Badges 3.0: did-jwt-vc's format checks want VCDM 1.1's context, so they are off; the signature and DID are its. */
    verifyEdDsa: (jwt: string) =>
      // did-jwt-vc types the resolver with its own copy of did-resolver's types (an older one).
      verifyCredential(jwt, resolver as unknown as Parameters<typeof verifyCredential>[1], { policies: { format: false } }),
    verifyRs256: (jwt: string) => verifyWithDidKey(jwt, 'RS256'),
    /** The status list the entry names, verified, and its bit. */
    async status(entry: StatusEntry, issuer: string): Promise<{ revoked: boolean; list: Record<string, unknown>; setBits: number }> {
      const response = await get(entry.statusListCredential);
      if (response.status !== 200) throw new Error(`status list: ${response.status}`);
      const payload = await verifyWithDidKey(response.text, decodeProtectedHeader(response.text).alg!);
      const list = payload.vc as { id: string; issuer: string; credentialSubject: { statusPurpose: string; encodedList: string } };
      if (list.id !== entry.statusListCredential || list.issuer !== issuer || list.credentialSubject.statusPurpose !== entry.statusPurpose)
        throw new Error('not the status list the credential names');
      const bits = gunzipSync(Buffer.from(list.credentialSubject.encodedList.replace(/^u/, ''), 'base64url'));
      const index = Number(entry.statusListIndex);
      let setBits = 0;
      for (const byte of bits) for (let b = byte; b; b >>= 1) setBits += b & 1;
      return { revoked: ((bits[index >> 3]! >> (7 - (index % 8))) & 1) === 1, list: list as never, setBits };
    },
  };
}

describe('Open Badges 3.0 credentials, checked by an independent verifier', () => {
  let supergraph: RunningSupergraph;
  let verifier: ReturnType<typeof independentVerifier>;
  let fixture: TestTenant;
  let other: TestTenant;

  /** A learner of the tenant completes a fresh course (three lessons, the instructor's 90): their certificate. */
  async function certify(tenant: TestTenant): Promise<{ id: string; credential: IssuedCredential }> {
    const as = asPersonaOf(supergraph, tenant);
    const course = await createCompliantCourse(supergraph.db.database, tenant);
    const { enroll } = (await as('LEARNER', 'mutation($id: ID!) { enroll(courseId: $id) { id } }', { id: course.id })).data as {
      enroll: { id: string };
    };
    for (const lesson of course.lessons)
      await as('LEARNER', 'mutation($e: ID!, $l: ID!) { completeLesson(enrollmentId: $e, lessonId: $l) { id } }', {
        e: enroll.id,
        l: lesson.id,
      });
    const graded = await as('INSTRUCTOR', 'mutation($e: ID!) { submitFinalAssessment(enrollmentId: $e, score: 90) { status } }', {
      e: enroll.id,
    });
    expect(graded).toEqual({ data: { submitFinalAssessment: { status: 'COMPLETED' } } });
    const mine = (await as('LEARNER', '{ me { certificates { id course { id } credential } } }')).data as {
      me: { certificates: { id: string; course: { id: string }; credential: IssuedCredential }[] };
    };
    return mine.me.certificates.find((certificate) => certificate.course.id === course.id)!;
  }

  const host = (tenant: TestTenant) => `${tenant.tenant.slug}.${TEST_BASE_DOMAIN}`;
  const did = (tenant: TestTenant) => `did:web:${host(tenant)}`;

  beforeAll(async () => {
    supergraph = await startSupergraph();
    verifier = independentVerifier(supergraph);
    fixture = await createTenant(supergraph.db.database);
    other = await createTenant(supergraph.db.database);
  });
  afterAll(() => supergraph?.close());

  it('verifies an issued credential (EdDSA with did-jwt-vc, RS256 with jose); after revocation its status bit is set and the verifier says revoked', async () => {
    // Two certificates of the tenant issued at once take distinct bits: 0 and 1 of its list 1.
    const issued = await Promise.all([certify(fixture), certify(fixture)]);
    const [certificate, sibling] = issued.sort((a, b) =>
      a.credential.credential.credentialStatus.statusListIndex.localeCompare(b.credential.credential.credentialStatus.statusListIndex),
    ) as [(typeof issued)[0], (typeof issued)[0]];
    const otherCertificate = await certify(other);
    const { credential } = certificate;
    const statusList = `https://${host(fixture)}/credentials/status/1`;
    expect(credential.credential.issuer.id).toBe(did(fixture));
    expect([credential.credential.credentialStatus, sibling.credential.credential.credentialStatus]).toEqual(
      [0, 1].map((bit) => ({
        id: `${statusList}#${bit}`,
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: String(bit),
        statusListCredential: statusList,
      })),
    );
    expect(credential.proofs.map((proof) => [proof.alg, decodeProtectedHeader(proof.jwt)])).toEqual([
      ['EdDSA', { alg: 'EdDSA', kid: `${did(fixture)}#test-credential`, typ: 'JWT' }],
      ['RS256', { alg: 'RS256', kid: `${did(fixture)}#test-credential-rsa`, typ: 'JWT' }],
    ]);
    expect(credential.jwt).toBe(credential.proofs[0]!.jwt);

    // EdDSA: did-jwt-vc resolves the issuer's did:web and checks the signature with the key it lists.
    const verified = await verifier.verifyEdDsa(credential.proofs[0]!.jwt);
    expect(verified.verified).toBe(true);
    expect(verified.issuer).toBe(did(fixture));
    expect(verified.signer.id).toBe(`${did(fixture)}#test-credential`);
    expect(verified.payload.vc).toEqual(credential.credential);
    // RS256: jose, with the RSA key of the same DID document.
    const rs256 = await verifier.verifyRs256(credential.proofs[1]!.jwt);
    expect(rs256.vc).toEqual(credential.credential);
    expect({ iss: rs256.iss, jti: rs256.jti }).toEqual({ iss: did(fixture), jti: `urn:uuid:${certificate.id}` });
    // A tampered credential verifies with neither.
    const tamper = (jwt: string) => jwt.replace(/\.([^.]+)\./, (_m, payload: string) => `.${payload.slice(0, -2)}AA.`);
    await expect(verifier.verifyEdDsa(tamper(credential.proofs[0]!.jwt))).rejects.toThrow();
    await expect(verifier.verifyRs256(tamper(credential.proofs[1]!.jwt))).rejects.toThrow();

    const before = await verifier.status(credential.credential.credentialStatus, did(fixture));
    expect(before).toEqual({
      revoked: false,
      setBits: 0,
      list: {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        id: statusList,
        type: ['VerifiableCredential', 'BitstringStatusListCredential'],
        issuer: did(fixture),
        validFrom: expect.any(String),
        credentialSubject: {
          id: `${statusList}#list`,
          type: 'BitstringStatusList',
          statusPurpose: 'revocation',
          encodedList: expect.stringMatching(/^u/),
        },
      },
    });
    expect(
      gunzipSync(Buffer.from((before.list.credentialSubject as { encodedList: string }).encodedList.slice(1), 'base64url')),
    ).toHaveLength(16_384);

    const revoked = await asPersonaOf(supergraph, fixture)(
      'TENANT_ADMIN',
      'mutation($id: ID!) { revokeCertificate(id: $id, reason: "Plagio en la evaluación") { status } }',
      { id: certificate.id },
    );
    expect(revoked).toEqual({ data: { revokeCertificate: { status: 'REVOKED' } } });

    // The gateway keeps no copy: the next fetch shows it.
    const after = await verifier.status(credential.credential.credentialStatus, did(fixture));
    expect({ revoked: after.revoked, setBits: after.setBits }).toEqual({ revoked: true, setBits: 1 });
    expect((await verifier.status(sibling.credential.credential.credentialStatus, did(fixture))).revoked).toBe(false);
    // The signature still verifies: revocation is the status list's to say.
    expect((await verifier.verifyEdDsa(credential.jwt)).verified).toBe(true);

    // The other tenant's list (the same index 0) knows nothing of it.
    expect(otherCertificate.credential.credential.credentialStatus.statusListCredential).toBe(
      `https://${host(other)}/credentials/status/1`,
    );
    const otherStatus = await verifier.status(otherCertificate.credential.credential.credentialStatus, did(other));
    expect({ revoked: otherStatus.revoked, setBits: otherStatus.setBits }).toEqual({ revoked: false, setBits: 0 });
  });

  it("serves each tenant's did:web document: the platform's credential keys, nothing private", async () => {
    const environment = testEnvironment();
    const ed = (await loadSigningKey(environment.TEST_CREDENTIAL_SIGNING_KEY)).publicJwk;
    const rsa = (await loadRsaSigningKey(environment.TEST_CREDENTIAL_RSA_SIGNING_KEY)).publicJwk;
    const id = did(fixture);
    const response = await httpRequest(`${supergraph.origin}/.well-known/did.json`, { headers: { host: host(fixture) } });
    expect({ status: response.status, type: response.headers['content-type'], cache: response.headers['cache-control'] }).toEqual({
      status: 200,
      type: 'application/did+ld+json',
      cache: 'public, max-age=300',
    });
    expect(JSON.parse(response.text)).toEqual({
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
      id,
      verificationMethod: [
        {
          id: `${id}#test-credential`,
          type: 'JsonWebKey2020',
          controller: id,
          publicKeyJwk: { kty: 'OKP', crv: 'Ed25519', x: ed.x, kid: 'test-credential', alg: 'EdDSA' },
        },
        {
          id: `${id}#test-credential-rsa`,
          type: 'JsonWebKey2020',
          controller: id,
          publicKeyJwk: { kty: 'RSA', n: rsa.n, e: 'AQAB', kid: 'test-credential-rsa', alg: 'RS256' },
        },
      ],
      assertionMethod: [`${id}#test-credential`, `${id}#test-credential-rsa`],
      authentication: [`${id}#test-credential`, `${id}#test-credential-rsa`],
    });
    expect((await verifier.resolver.resolve(id)).didDocument).toEqual(JSON.parse(response.text));

    const unknown = await httpRequest(`${supergraph.origin}/.well-known/did.json`, { headers: { host: `nadie-aqui.${TEST_BASE_DOMAIN}` } });
    expect({ status: unknown.status, body: JSON.parse(unknown.text) }).toEqual({
      status: 404,
      body: { errors: [{ message: 'Unknown tenant', extensions: { code: 'TENANT_NOT_FOUND' } }] },
    });
  });

  it('serves status lists publicly with short caching and an ETag; an unknown list or a list nobody is in yet is 404', async () => {
    // The fixture's list 1 holds the certificate of the first test; a fresh tenant has none.
    const fresh = await createTenant(supergraph.db.database);
    const url = `${supergraph.origin}/credentials/status/1`;
    const headers = { host: host(fixture) };
    const list = await httpRequest(url, { headers });
    expect({ status: list.status, type: list.headers['content-type'], cache: list.headers['cache-control'] }).toEqual({
      status: 200,
      type: 'application/jwt',
      cache: 'public, max-age=60',
    });
    const again = await httpRequest(url, { headers: { ...headers, 'if-none-match': list.headers.etag! } });
    expect({ status: again.status, text: again.text }).toEqual({ status: 304, text: '' });
    // The same state is the same document.
    expect((await httpRequest(url, { headers })).text).toBe(list.text);

    const notFound = { errors: [{ message: 'No such status list', extensions: { code: 'NOT_FOUND' } }] };
    for (const [path, host] of [
      ['/credentials/status/2', headers.host],
      ['/credentials/status/999999999', headers.host],
      ['/credentials/status/1', `${fresh.tenant.slug}.${TEST_BASE_DOMAIN}`],
    ] as const) {
      const response = await httpRequest(`${supergraph.origin}${path}`, { headers: { host } });
      expect({ path, status: response.status, body: JSON.parse(response.text) }).toEqual({ path, status: 404, body: notFound });
    }
    const posted = await httpRequest(url, { method: 'POST', headers });
    expect(posted.status).toBe(405);
  });
});
