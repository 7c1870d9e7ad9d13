import {
  createTenantWithEveryKindOfRow,
  createTenant,
  startGatewayProcess,
  startSupergraph,
  subscribe,
  TEST_PASSWORD,
  until,
  type GatewayProcess,
  type RunningSupergraph,
  type TestTenant,
} from '@academy/testing';

const CREATE_KEY =
  'mutation($name: String!, $scopes: [ApiKeyScope!]!) { createApiKey(name: $name, scopes: $scopes) { secret apiKey { id name prefix scopes lastUsedAt revokedAt } } }';
const KEYS = '{ apiKeys { id name prefix scopes lastUsedAt revokedAt } }';
const REVOKE = 'mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }';
const REPORT =
  '{ impactReport(scope: TENANT, period: ALL_TIME) { scope period overall eventCount participantCount scores { dimension score } } }';

interface Created {
  secret: string;
  apiKey: { id: string; name: string; prefix: string; scopes: string[]; lastUsedAt: string | null; revokedAt: string | null };
}

/** A tenant's own integrations: keys shown once, limited to their scopes, revoked at once on every gateway. */
describe('API keys (two gateways)', () => {
  let supergraph: RunningSupergraph;
  let second: GatewayProcess;
  let fixture: TestTenant;
  let admin: string;

  beforeAll(async () => {
    supergraph = await startSupergraph({ isolated: true });
    second = await startGatewayProcess(supergraph);
    fixture = await createTenantWithEveryKindOfRow(supergraph.db.database);
    admin = await supergraph.login(fixture.users.TENANT_ADMIN.email, TEST_PASSWORD, fixture.tenant.slug);
  }, 60_000);
  afterAll(async () => {
    await second?.close();
    await supergraph?.close();
  });

  const on = async (
    origin: string,
    query: string,
    credentials: { token?: string; apiKey?: string },
    variables: Record<string, unknown> = {},
    tenant = fixture.tenant.slug,
  ) => {
    const response = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-tenant': tenant,
        ...(credentials.token ? { authorization: `Bearer ${credentials.token}` } : {}),
        ...(credentials.apiKey ? { 'x-api-key': credentials.apiKey } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown> | null; errors?: unknown[] } };
  };
  const createKey = async (name: string, scopes: string[]): Promise<Created> => {
    const { body } = await on(supergraph.origin, CREATE_KEY, { token: admin }, { name, scopes });
    return body.data!.createApiKey as Created;
  };
  const outsideScopes = (coordinate: string, scopes = 'READ_REPORTS') => ({
    errors: [{ message: `This API key's scopes (${scopes}) do not allow ${coordinate}`, extensions: { code: 'FORBIDDEN' } }],
  });

  it('shows the secret once and keeps only its hash', async () => {
    const created = await createKey('  Tablero de impacto ', ['READ_REPORTS', 'READ_REPORTS']);
    expect(created).toEqual({
      secret: expect.stringMatching(/^ak_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/),
      apiKey: {
        id: expect.any(String),
        name: 'Tablero de impacto',
        prefix: created.secret.slice(0, 11),
        scopes: ['READ_REPORTS'],
        lastUsedAt: null,
        revokedAt: null,
      },
    });
    const listed = await on(supergraph.origin, KEYS, { token: admin });
    expect((listed.body.data!.apiKeys as unknown[])[0]).toEqual(created.apiKey);
    const stored = await supergraph.db.database
      .forTenant(fixture.tenant.id)
      .run((tx) => tx.apiKey.findUniqueOrThrow({ where: { id: created.apiKey.id }, select: { secretHash: true } }));
    expect(stored.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.secretHash).not.toContain(created.secret.slice(12, 30));
  });

  it('a READ_REPORTS key reads the tenant impact report (what its admin reads), and nothing outside its scopes', async () => {
    const { secret, apiKey } = await createKey('Reportes', ['READ_REPORTS']);
    const asAdmin = await on(supergraph.origin, REPORT, { token: admin });
    expect(asAdmin.body.data).toBeDefined();
    for (const origin of [supergraph.origin, second.origin])
      expect((await on(origin, REPORT, { apiKey: secret })).body).toEqual(asAdmin.body);

    expect((await on(supergraph.origin, '{ courses { totalCount } }', { apiKey: secret })).body).toEqual(outsideScopes('Query.courses'));
    expect((await on(supergraph.origin, '{ me { name } }', { apiKey: secret })).body).toEqual(outsideScopes('Query.me'));
    expect((await on(supergraph.origin, KEYS, { apiKey: secret })).body).toEqual(outsideScopes('Query.apiKeys'));
    expect((await on(supergraph.origin, '{ users { totalCount } }', { apiKey: secret })).body).toEqual(outsideScopes('Query.users'));
    const createCourse = await on(supergraph.origin, 'mutation { createApiKey(name: "x", scopes: [READ_CATALOGUE]) { secret } }', {
      apiKey: secret,
    });
    expect(createCourse).toEqual({ status: 403, body: outsideScopes('Mutation.createApiKey') });
    // Hidden in a fragment, or behind an alias: the same.
    expect(
      (await on(supergraph.origin, 'query { ...F } fragment F on Query { r: certificate(id: "x") { id } }', { apiKey: secret })).body,
    ).toEqual(outsideScopes('Query.certificate'));
    // A subscription is never an integration's.
    const socket = subscribe(second.origin, {
      query: 'subscription { notificationReceived { id } }',
      tenant: fixture.tenant.slug,
      headers: { 'x-api-key': secret },
    });
    expect(await socket.closed).toEqual({ code: 4403, reason: 'FORBIDDEN: API keys do not subscribe' });

    // Its use is kept (to the minute).
    const used = await until(
      () =>
        supergraph.db.database
          .forTenant(fixture.tenant.id)
          .run((tx) => tx.apiKey.findUniqueOrThrow({ where: { id: apiKey.id }, select: { lastUsedAt: true } })),
      (key) => key.lastUsedAt !== null,
      { timeoutMs: 5_000, everyMs: 50 },
    );
    expect(used.lastUsedAt!.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('scopes combine: READ_CATALOGUE with MANAGE_ENROLLMENTS reads learners’ enrollments; READ_CATALOGUE alone, not', async () => {
    const catalogue = await createKey('Catálogo', ['READ_CATALOGUE']);
    const both = await createKey('Inscripciones', ['READ_CATALOGUE', 'MANAGE_ENROLLMENTS']);
    const nested = '{ courses { edges { node { title instructor { name enrollments { status } } } } } }';
    expect((await on(supergraph.origin, nested, { apiKey: catalogue.secret })).body).toEqual(
      outsideScopes('User.enrollments', 'READ_CATALOGUE'),
    );
    expect((await on(supergraph.origin, '{ courses { edges { node { title } } } }', { apiKey: catalogue.secret })).body).toEqual({
      data: { courses: { edges: [{ node: { title: 'Curso de prueba' } }] } },
    });
    const learners = '{ users(persona: LEARNER) { edges { node { name email enrollments { status course { title } } } } } }';
    expect((await on(supergraph.origin, learners, { apiKey: catalogue.secret })).body).toEqual(
      outsideScopes('Query.users', 'READ_CATALOGUE'),
    );
    expect((await on(supergraph.origin, learners, { apiKey: both.secret })).body).toEqual({
      data: {
        users: {
          edges: [
            {
              node: {
                name: fixture.users.LEARNER.name,
                email: fixture.users.LEARNER.email,
                enrollments: [{ status: 'COMPLETED', course: { title: 'Curso de prueba' } }],
              },
            },
          ],
        },
      },
    });
    // Personal data no integration reads.
    expect((await on(supergraph.origin, '{ users { edges { node { curp } } } }', { apiKey: both.secret })).body).toEqual(
      outsideScopes('User.curp', 'READ_CATALOGUE, MANAGE_ENROLLMENTS'),
    );
  });

  it('revoked, a key stops at once on every gateway; another tenant’s key is refused; only admins make keys', async () => {
    const { secret, apiKey } = await createKey('Temporal', ['READ_REPORTS']);
    for (const origin of [supergraph.origin, second.origin]) expect((await on(origin, REPORT, { apiKey: secret })).status).toBe(200);
    expect((await on(supergraph.origin, REVOKE, { token: admin }, { id: apiKey.id })).body).toEqual({
      data: { revokeApiKey: { id: apiKey.id, revokedAt: expect.any(String) } },
    });
    const revoked = { errors: [{ message: 'Invalid or revoked API key', extensions: { code: 'UNAUTHENTICATED' } }] };
    for (const origin of [second.origin, supergraph.origin])
      expect(await on(origin, REPORT, { apiKey: secret })).toEqual({ status: 401, body: revoked });
    expect((await on(supergraph.origin, REPORT, { apiKey: 'ak_00000000_' + 'x'.repeat(43) })).body).toEqual(revoked);
    expect((await on(supergraph.origin, REPORT, { apiKey: 'garbage' })).body).toEqual(revoked);

    const other = await createTenant(supergraph.db.database);
    const theirs = await createKey('Ajena', ['READ_REPORTS']);
    expect((await on(supergraph.origin, REPORT, { apiKey: theirs.secret }, {}, other.tenant.slug)).body).toEqual({
      errors: [{ message: 'The token belongs to another tenant', extensions: { code: 'TENANT_MISMATCH' } }],
    });

    const learner = await supergraph.login(fixture.users.LEARNER.email, TEST_PASSWORD, fixture.tenant.slug);
    const refused = await on(supergraph.origin, CREATE_KEY, { token: learner }, { name: 'x', scopes: ['READ_REPORTS'] });
    expect(refused.body).toEqual({
      data: null,
      errors: [{ message: 'Not allowed', path: ['createApiKey'], extensions: { code: 'FORBIDDEN' } }],
    });
    const empty = await on(supergraph.origin, CREATE_KEY, { token: admin }, { name: ' ', scopes: [] });
    expect(empty.body).toEqual({
      data: null,
      errors: [
        {
          message: 'Invalid API key',
          path: ['createApiKey'],
          extensions: {
            code: 'BAD_USER_INPUT',
            issues: [
              { field: 'name', message: 'must be 1 to 80 characters' },
              { field: 'scopes', message: 'must name at least one scope' },
            ],
          },
        },
      ],
    });
    // Another tenant's key is not found here to revoke.
    const otherAdmin = await supergraph.login(other.users.TENANT_ADMIN.email, TEST_PASSWORD, other.tenant.slug);
    const notTheirs = await on(supergraph.origin, REVOKE, { token: otherAdmin }, { id: theirs.apiKey.id }, other.tenant.slug);
    expect(notTheirs.body).toEqual({
      data: null,
      errors: [{ message: 'API key not found', path: ['revokeApiKey'], extensions: { code: 'NOT_FOUND' } }],
    });
  });
});
