import { generateKeyPair, SignJWT } from 'jose';
import { loadSigningKey } from '@academy/tokens';
import {
  httpRequest,
  parseMetrics,
  sampleValue,
  scrape,
  startSupergraph,
  subscribe,
  TEST_AUDIENCE,
  TEST_ISSUER,
  testEnvironment,
  type RunningSupergraph,
} from '@academy/testing';

/**
 * What an attacker (or a broken client) can send, through a gateway in production mode: each
 * request is refused with its code, and no subgraph ever sees it. The limits are shown on the
 * demo tenant, whose settings allow arbitrary documents (elsewhere an unlisted document is
 * refused before its shape matters).
 */
describe('operation limits and request guards', () => {
  let supergraph: RunningSupergraph;
  let learnerId: string;
  let demoTenantId: string;
  beforeAll(async () => {
    supergraph = await startSupergraph({ production: true });
    const token = await supergraph.login('learner@demo.academy.mx', 'academy-demo-2026', 'demo');
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string; tid: string };
    learnerId = claims.sub;
    demoTenantId = claims.tid;
  });
  afterAll(() => supergraph?.close());

  const json = { 'content-type': 'application/json' };
  const post = (body: unknown, headers: Record<string, string> = json) => ({
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

  async function ownToken(options: { audience?: string; expiresIn?: string }) {
    const key = await loadSigningKey(testEnvironment().TEST_AUTH_SIGNING_KEY);
    return new SignJWT({ tid: demoTenantId, persona: 'LEARNER' })
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid })
      .setIssuer(TEST_ISSUER)
      .setAudience(options.audience ?? TEST_AUDIENCE)
      .setSubject(learnerId)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '10m')
      .sign(key.privateKey);
  }
  function unsignedToken() {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const claims = { sub: learnerId, tid: demoTenantId, persona: 'PLATFORM_ADMIN', iss: TEST_ISSUER, aud: TEST_AUDIENCE, exp: 9999999999 };
    return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
  }

  /** me → enrollments → course → instructor → enrollments → … twelve levels deep. */
  const depthBomb = `{ me { ${'enrollments { course { instructor { '.repeat(3)}enrollments { id }${' } } }'.repeat(3)} } }`;
  const aliasBomb = `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: viewerTenant { slug }`).join(' ')} }`;
  const directiveBomb = `{ viewerTenant { ${Array.from({ length: 21 }, () => 'slug @skip(if: false)').join(' ')} } }`;
  /** Within every other limit: four pages of 100 courses with their modules and lessons. */
  const costBomb = `{ ${['a', 'b', 'c', 'd'].map((alias) => `${alias}: courses(first: 100) { edges { node { id title modules { id title lessons { id title durationMinutes } } } } }`).join(' ')} }`;
  const tokenBomb = `{ ${'__typename '.repeat(1000)}}`;

  const badInput = (message: string, extra: Record<string, unknown> = {}) => ({
    errors: [{ message, ...extra, extensions: { code: 'BAD_USER_INPUT' } }],
  });
  const unauthenticated = (message: string) => ({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });

  // Every row has all five entries: jest takes a test function with more parameters than its row for one awaiting `done`.
  type Case = [
    what: string,
    send: () => Promise<{ method: string; headers: Record<string, string>; body?: string; path?: string }>,
    status: number,
    body: unknown,
    reason: string | undefined,
  ];
  const cases: Case[] = [
    [
      'a depth bomb (12 levels)',
      async () => post({ query: depthBomb }),
      400,
      badInput('Syntax Error: Query depth limit of 10 exceeded, found 12.'),
      'depth',
    ],
    [
      'an alias bomb (16 aliases)',
      async () => post({ query: aliasBomb }),
      400,
      badInput('Syntax Error: Aliases limit of 15 exceeded, found 16.'),
      'aliases',
    ],
    [
      'a directive bomb (21 directives)',
      async () => post({ query: directiveBomb }),
      400,
      badInput('Syntax Error: Directives limit of 20 exceeded, found 21.'),
      'directives',
    ],
    [
      'a cost bomb (4 × 100 courses with lessons)',
      async () => post({ query: costBomb }),
      400,
      badInput(expect.stringMatching(/^Syntax Error: Query Cost limit of 5000 exceeded, found [\d.]+\.$/) as never),
      'cost',
    ],
    [
      'a document of 1001 tokens',
      async () => post({ query: tokenBomb }),
      400,
      badInput('Syntax Error: Document contains more that 1000 tokens. Parsing aborted.', { locations: [{ line: 1, column: 10992 }] }),
      'tokens',
    ],
    [
      'huge variables (300 KB)',
      async () => post({ query: '{ viewerTenant { slug } }', variables: { filler: 'x'.repeat(300_000) } }),
      413,
      badInput('Request body larger than 262144 bytes'),
      'body-size',
    ],
    [
      'a batched array',
      async () => post([{ query: '{ viewerTenant { slug } }' }, { query: '{ viewerTenant { name } }' }]),
      400,
      badInput('Batched requests are not accepted: send one operation per request'),
      'batch',
    ],
    [
      'a GET mutation',
      async () => ({
        method: 'GET',
        headers: { 'apollo-require-preflight': 'true' },
        path: `/graphql?query=${encodeURIComponent('mutation { login(email: "a@b.mx", password: "x") { token } }')}`,
      }),
      405,
      badInput('GET requests only support query operations, not mutation operations'),
      'get-mutation',
    ],
    [
      'a text/plain POST (CSRF)',
      async () => post({ query: '{ viewerTenant { slug } }' }, { 'content-type': 'text/plain' }),
      400,
      badInput(
        'This request may come from another site (CSRF): send it with content-type application/json, or with the header apollo-require-preflight',
      ),
      'csrf',
    ],
    [
      'an unlisted document, on a tenant held to the published ones (cooperativa-sol)',
      async () => post({ query: '{ viewerTenant { slug } }' }, { ...json, 'x-tenant': 'cooperativa-sol' }),
      400,
      badInput('This operation is not one of the published documents: send a persisted document by its id'),
      'unlisted-document',
    ],
    [
      'an unsigned JWT (alg none)',
      async () => post({ query: '{ me { id } }' }, { ...json, authorization: `Bearer ${unsignedToken()}` }),
      401,
      unauthenticated('Invalid token'),
      undefined,
    ],
    [
      'a JWT for another audience',
      async () => post({ query: '{ me { id } }' }, { ...json, authorization: `Bearer ${await ownToken({ audience: 'someone-else' })}` }),
      401,
      unauthenticated('Invalid token'),
      undefined,
    ],
    [
      'an expired JWT',
      async () => post({ query: '{ me { id } }' }, { ...json, authorization: `Bearer ${await ownToken({ expiresIn: '-1m' })}` }),
      401,
      unauthenticated('Token expired'),
      undefined,
    ],
    [
      'a JWT signed by another key',
      async () => {
        const { privateKey } = await generateKeyPair('EdDSA');
        const token = await new SignJWT({ tid: demoTenantId, persona: 'PLATFORM_ADMIN' })
          .setProtectedHeader({ alg: 'EdDSA' })
          .setIssuer(TEST_ISSUER)
          .setAudience(TEST_AUDIENCE)
          .setSubject(learnerId)
          .setExpirationTime('5m')
          .sign(privateKey);
        return post({ query: '{ me { id } }' }, { ...json, authorization: `Bearer ${token}` });
      },
      401,
      unauthenticated('Invalid token'),
      undefined,
    ],
    [
      'a field that does not exist (no suggestions in production)',
      async () => post({ query: '{ viewerTenant { slugg } }' }),
      400,
      badInput('Cannot query field "slugg" on type "Tenant".', { locations: [{ line: 1, column: 18 }] }),
      undefined,
    ],
    [
      'introspection in production',
      async () => post({ query: '{ __schema { types { name } } }' }),
      400,
      badInput(expect.stringMatching(/introspection/i) as never, { locations: [{ line: 1, column: 3 }] }),
      undefined,
    ],
  ];

  it.each(cases)('refuses %s before any subgraph sees it', async (_what, send, status, body, reason) => {
    const request = await send();
    const before = reason ? await rejections(reason, 'http') : 0;
    supergraph.subgraphRequests.reset();
    const response = await httpRequest(`${supergraph.origin}${request.path ?? '/graphql'}`, {
      ...request,
      headers: { 'x-tenant': 'demo', ...request.headers },
    });
    expect({ status: response.status, body: JSON.parse(response.text) as unknown }).toEqual({ status, body });
    expect(supergraph.subgraphRequests.count).toBe(0);
    if (reason) expect(await rejections(reason, 'http')).toBe(before + 1);
  });

  it('still serves what first-party clients send (the learner dashboard is well within every limit)', async () => {
    const token = await supergraph.login('learner@demo.academy.mx', 'academy-demo-2026', 'demo');
    const response = await supergraph.request<{ me: { enrollments: unknown[] } }>(
      '{ me { id name enrollments { id progressPercent course { id title instructor { name } competencyStandard { code title } modules { lessons { id } } } } certificates { id verificationCode conocerStatus course { title } } impact(period: MONTH) { overall } } }',
      { tenant: 'demo', token },
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.status).toBe(200);
    expect(response.body.data!.me.enrollments.length).toBeGreaterThan(0);
  });

  it('applies the same limits to subscriptions over the websocket', async () => {
    const token = await supergraph.login('learner@demo.academy.mx', 'academy-demo-2026', 'demo');
    const attempts = [
      {
        reason: 'depth',
        query: `subscription { certificationStatusChanged { certificate { learner { ${'enrollments { course { instructor { '.repeat(3)}id${' } } }'.repeat(3)} } } } }`,
        message: 'Syntax Error: Query depth limit of 10 exceeded, found 13.',
      },
      {
        reason: 'aliases',
        query: `subscription { certificationStatusChanged { ${Array.from({ length: 16 }, (_, i) => `a${i}: status`).join(' ')} } }`,
        message: 'Syntax Error: Aliases limit of 15 exceeded, found 16.',
      },
      {
        reason: 'tokens',
        query: `subscription { certificationStatusChanged { ${'__typename '.repeat(1000)}} }`,
        message: 'Syntax Error: Document contains more that 1000 tokens. Parsing aborted.',
      },
    ];
    for (const attempt of attempts) {
      const before = await rejections(attempt.reason, 'ws');
      supergraph.subgraphRequests.reset();
      const live = subscribe(supergraph.origin, { query: attempt.query, tenant: 'demo', token });
      const errors = await live.failed;
      expect(errors).toEqual([{ message: attempt.message, extensions: { code: 'BAD_USER_INPUT' } }]);
      expect(supergraph.subgraphRequests.count).toBe(0);
      expect(await rejections(attempt.reason, 'ws')).toBe(before + 1);
      await live.dispose();
    }
  });

  it('counts every refusal by reason and transport at /metrics', async () => {
    const response = await httpRequest(`${supergraph.origin}/metrics`, {});
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parseMetrics(response.text);
    const reasons = ['depth', 'aliases', 'directives', 'cost', 'tokens', 'body-size', 'batch', 'get-mutation', 'csrf', 'unlisted-document'];
    expect(
      Object.fromEntries(
        reasons.map((reason) => [reason, sampleValue(samples, 'academy_gateway_rejected_operations_total', { reason, transport: 'http' })]),
      ),
    ).toEqual(Object.fromEntries(reasons.map((reason) => [reason, 1])));
  });

  async function rejections(reason: string, transport: 'http' | 'ws'): Promise<number> {
    return (
      sampleValue(await scrape(`${supergraph.origin}/metrics`), 'academy_gateway_rejected_operations_total', { reason, transport }) ?? 0
    );
  }
});
