import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { loadSigningKey } from '@academy/tokens';
import {
  createTenant,
  startSupergraph,
  TEST_AUDIENCE,
  TEST_ISSUER,
  TEST_PASSWORD,
  testEnvironment,
  type RunningSupergraph,
  type TestTenant,
} from '@academy/testing';

const unauthenticated = (message: string) => ({ status: 401, body: { errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] } });

/** A stand-in for an external identity provider (Keycloak, Auth0): RS256 keys served as JWKS. */
async function externalIdp(): Promise<{
  url: string;
  issuer: string;
  sign(claims: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' };
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/academy/protocol/openid-connect/certs`;
  const issuer = 'https://keycloak.example/realms/academy';
  return {
    url,
    issuer,
    sign: (claims) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'idp-1' })
        .setIssuer(issuer)
        .setAudience('academy-app')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('authentication at the gateway', () => {
  let supergraph: RunningSupergraph;
  let idp: Awaited<ReturnType<typeof externalIdp>>;
  let fixture: TestTenant;

  beforeAll(async () => {
    idp = await externalIdp();
    supergraph = await startSupergraph({
      external: {
        jwksUrl: idp.url,
        issuer: idp.issuer,
        audience: 'academy-app',
        algorithms: ['RS256'],
        tenantClaim: 'academy_tenant',
        personaClaim: 'academy_persona',
      },
    });
    fixture = await createTenant(supergraph.db.database);
  });
  afterAll(async () => {
    await supergraph?.close();
    await idp?.close();
  });

  const me = (token: string) =>
    supergraph.request<{ me: { id: string; persona: string } }>('{ me { id persona } }', {
      tenant: fixture.tenant.slug,
      headers: { authorization: `Bearer ${token}` },
    });

  async function ownToken(claims: Record<string, unknown>, options: { audience?: string; expiresIn?: string; issuer?: string } = {}) {
    const key = await loadSigningKey(testEnvironment().TEST_AUTH_SIGNING_KEY);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid })
      .setIssuer(options.issuer ?? TEST_ISSUER)
      .setAudience(options.audience ?? TEST_AUDIENCE)
      .setSubject(fixture.users.LEARNER.id)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '10m')
      .sign(key.privateKey);
  }

  it('issues tokens at login that carry user, tenant and persona', async () => {
    const login = await supergraph.request<{ login: { token: string; expiresAt: string; user: { id: string } } }>(
      'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token expiresAt user { id email persona } } }',
      { tenant: fixture.tenant.slug, variables: { email: fixture.users.INSTRUCTOR.email.toUpperCase(), password: TEST_PASSWORD } },
    );
    expect(login.body).toEqual({
      data: {
        login: {
          token: expect.any(String),
          expiresAt: expect.any(String),
          user: { id: fixture.users.INSTRUCTOR.id, email: fixture.users.INSTRUCTOR.email, persona: 'INSTRUCTOR' },
        },
      },
    });
    const [, payload] = login.body.data!.login.token.split('.');
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toMatchObject({
      sub: fixture.users.INSTRUCTOR.id,
      tid: fixture.tenant.id,
      persona: 'INSTRUCTOR',
      iss: TEST_ISSUER,
      aud: TEST_AUDIENCE,
    });
    expect((await me(login.body.data!.login.token)).body).toEqual({
      data: { me: { id: fixture.users.INSTRUCTOR.id, persona: 'INSTRUCTOR' } },
    });
  });

  it.each([
    ['a malformed token', async () => 'not.a.jwt', 'Malformed token'],
    ['an expired token', async () => ownToken({ tid: fixture.tenant.id, persona: 'LEARNER' }, { expiresIn: '-1m' }), 'Token expired'],
    [
      'a token for another audience',
      async () => ownToken({ tid: fixture.tenant.id, persona: 'LEARNER' }, { audience: 'someone-else' }),
      'Invalid token',
    ],
    [
      'a token of another issuer',
      async () => ownToken({ tid: fixture.tenant.id, persona: 'LEARNER' }, { issuer: 'https://evil.example' }),
      'Invalid token',
    ],
    [
      'an unsigned token (alg none)',
      async () => {
        const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
        const body = Buffer.from(
          JSON.stringify({
            sub: fixture.users.LEARNER.id,
            tid: fixture.tenant.id,
            persona: 'PLATFORM_ADMIN',
            iss: TEST_ISSUER,
            aud: TEST_AUDIENCE,
            exp: 9999999999,
          }),
        ).toString('base64url');
        return `${header}.${body}.`;
      },
      'Invalid token',
    ],
    [
      'a token signed by another key',
      async () => {
        const { privateKey } = await generateKeyPair('EdDSA');
        return new SignJWT({ tid: fixture.tenant.id, persona: 'PLATFORM_ADMIN' })
          .setProtectedHeader({ alg: 'EdDSA' })
          .setIssuer(TEST_ISSUER)
          .setAudience(TEST_AUDIENCE)
          .setSubject(fixture.users.LEARNER.id)
          .setExpirationTime('5m')
          .sign(privateKey);
      },
      'Invalid token',
    ],
    ['a token without a persona', async () => ownToken({ tid: fixture.tenant.id }), 'Token lacks the user, tenant or persona'],
  ])('refuses %s', async (_what, token, message) => {
    const response = await me(await token());
    expect({ status: response.status, body: response.body }).toEqual(unauthenticated(message));
  });

  it('refuses an Authorization header that is not a bearer token', async () => {
    const response = await supergraph.request('{ me { id } }', {
      tenant: fixture.tenant.slug,
      headers: { authorization: 'Basic dXNlcjpwYXNz' },
    });
    expect({ status: response.status, body: response.body }).toEqual(unauthenticated('Authorization must be "Bearer <token>"'));
  });

  it("accepts an external IdP's token by its JWKS, mapping its claims", async () => {
    const token = await idp.sign({ sub: fixture.users.EVALUATOR.id, academy_tenant: fixture.tenant.id, academy_persona: 'EVALUATOR' });
    expect((await me(token)).body).toEqual({ data: { me: { id: fixture.users.EVALUATOR.id, persona: 'EVALUATOR' } } });
    const foreign = await idp.sign({
      sub: fixture.users.EVALUATOR.id,
      academy_tenant: '5c1f3a8e-9b7d-4e2f-a6c0-4d8b1e9f7a21',
      academy_persona: 'EVALUATOR',
    });
    const mismatch = await me(foreign);
    expect({ status: mismatch.status, body: mismatch.body }).toEqual({
      status: 403,
      body: { errors: [{ message: 'The token belongs to another tenant', extensions: { code: 'TENANT_MISMATCH' } }] },
    });
  });

  it('answers me: null for an external identity that is no user of the tenant, whichever subgraphs its fields are in', async () => {
    // Every subgraph that adds fields to User answers me itself (no users request first): each
    // must know, from the gateway, that this subject is nobody of ours.
    const stranger = await idp.sign({
      sub: 'a3c9e1f0-5b7d-4c2e-8f1a-6d4b2e9c7a10',
      academy_tenant: fixture.tenant.id,
      academy_persona: 'LEARNER',
    });
    const asked = [
      '{ me { id persona } }',
      '{ me { enrollments { id } } }',
      '{ me { certificates { id } impact { overall } } }',
      '{ me { orders { id } notifications { totalCount } } }',
    ];
    for (const query of asked) {
      const response = await supergraph.request(query, { tenant: fixture.tenant.slug, headers: { authorization: `Bearer ${stranger}` } });
      expect({ query, status: response.status, body: response.body }).toEqual({ query, status: 200, body: { data: { me: null } } });
    }
    // A user of ours signed in by the same provider has hers, from the same subgraphs.
    const learner = await idp.sign({ sub: fixture.users.LEARNER.id, academy_tenant: fixture.tenant.id, academy_persona: 'LEARNER' });
    const own = await supergraph.request('{ me { id enrollments { id } orders { id } } }', {
      tenant: fixture.tenant.slug,
      headers: { authorization: `Bearer ${learner}` },
    });
    expect(own.body).toEqual({ data: { me: { id: fixture.users.LEARNER.id, enrollments: [], orders: [] } } });
  });

  it('answers an unknown email like a wrong password', async () => {
    const response = await supergraph.request('mutation { login(email: "nadie@x.test", password: "whatever password") { token } }', {
      tenant: fixture.tenant.slug,
    });
    expect(response.body).toEqual({
      data: null,
      errors: [{ message: 'Invalid email or password', path: ['login'], extensions: { code: 'UNAUTHENTICATED' } }],
    });
  });

  it('publishes the public keys (never a private part) at /.well-known/jwks.json', async () => {
    const response = await fetch(`${supergraph.origin}/.well-known/jwks.json`);
    const jwks = (await response.json()) as { keys: JWK[] };
    expect(response.status).toBe(200);
    // The private members of OKP (d) and RSA (d, p, q, dp, dq, qi) keys.
    const hasPrivatePart = (key: JWK) => ['d', 'p', 'q', 'dp', 'dq', 'qi'].some((member) => member in key);
    expect(
      jwks.keys.map((key) => ({ kid: key.kid, kty: key.kty, crv: key.crv, alg: key.alg, hasPrivatePart: hasPrivatePart(key) })),
    ).toEqual([
      { kid: 'test-auth', kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', hasPrivatePart: false },
      { kid: 'test-credential', kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', hasPrivatePart: false },
      { kid: 'test-credential-rsa', kty: 'RSA', crv: undefined, alg: 'RS256', hasPrivatePart: false },
    ]);
  });
});
