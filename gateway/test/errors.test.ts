import { httpRequest, startSupergraph, type RunningSupergraph } from '@academy/testing';

/** What a client sees when it sends garbage, or when part of the platform is down. */
describe('errors through the gateway', () => {
  let supergraph: RunningSupergraph;
  beforeAll(async () => {
    supergraph = await startSupergraph();
  });
  afterAll(() => supergraph?.close());

  const raw = async (
    body: string,
    headers: Record<string, string> = { 'content-type': 'application/json' },
    path = '/graphql',
    method = 'POST',
  ) => {
    const response = await httpRequest(`${supergraph.origin}${path}`, { method, headers: { 'x-tenant': 'demo', ...headers }, body });
    return { status: response.status, body: JSON.parse(response.text) as unknown };
  };

  it.each([
    ['a body that is not JSON', '{"query": "{ me { id }', 400, 'The request body is not valid JSON'],
    [
      'a body over 256 KiB',
      JSON.stringify({ query: '{ me { id } }', variables: { filler: 'x'.repeat(300_000) } }),
      413,
      'Request body larger than 262144 bytes',
    ],
  ])('answers %s with BAD_USER_INPUT', async (_what, body, status, message) => {
    expect(await raw(body)).toEqual({ status, body: { errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] } });
  });

  it('answers a syntax error with BAD_USER_INPUT and where it is', async () => {
    expect(await raw(JSON.stringify({ query: '{ me { id }' }))).toEqual({
      status: 400,
      body: {
        errors: [
          {
            message: 'Syntax Error: Expected Name, found <EOF>.',
            locations: [{ line: 1, column: 12 }],
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      },
    });
  });

  it('answers variables of the wrong type with BAD_USER_INPUT', async () => {
    const response = await raw(JSON.stringify({ query: 'query($n: Int) { courses(first: $n) { totalCount } }', variables: { n: 'many' } }));
    expect(response).toEqual({
      status: 400,
      body: {
        errors: [
          {
            message: 'Variable "$n" got invalid value "many"; Int cannot represent non-integer value: "many"',
            locations: [{ line: 1, column: 7 }],
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      },
    });
  });

  it('refuses a text/plain POST (CSRF: a browser sends those cross-site without asking)', async () => {
    const response = await raw(JSON.stringify({ query: '{ viewerTenant { slug } }' }), { 'content-type': 'text/plain' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
  });

  it('answers a cursor it did not issue with BAD_USER_INPUT', async () => {
    const response = await supergraph.request('{ courses(after: "not-a-cursor") { totalCount } }', { tenant: 'demo' });
    expect(response.body).toEqual({
      data: null,
      errors: [
        {
          message: '`after` is not a cursor this API returned',
          path: ['courses'],
          extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'after', message: 'invalid cursor' }] },
        },
      ],
    });
  });

  it('refuses `first` outside 0..100, past 100 as below 0, and answers 100', async () => {
    const many = await supergraph.request<{ competencyStandards: { edges: unknown[]; totalCount: number } }>(
      'query($n: Int) { competencyStandards(first: $n) { edges { cursor } totalCount } }',
      { tenant: 'demo', variables: { n: 100 } },
    );
    expect(many.body.data!.competencyStandards.edges).toHaveLength(100);
    expect(many.body.data!.competencyStandards.totalCount).toBe(1477);
    for (const first of [-1, 5000]) {
      const refused = await supergraph.request('query($n: Int) { competencyStandards(first: $n) { totalCount } }', {
        tenant: 'demo',
        variables: { n: first },
      });
      expect(refused.body).toEqual({
        data: null,
        errors: [
          {
            message: 'Invalid input: `first` must be 0..100',
            path: ['competencyStandards'],
            extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'first', message: 'must be 0..100' }] },
          },
        ],
      });
    }
  });

  it('refuses with 400 BAD_USER_INPUT what @apollo/gateway would fail on: subscriptions over HTTP, an operation it cannot choose', async () => {
    const refused = (message: string) => ({ status: 400, body: { errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] } });
    const overHttp = refused('Subscriptions run over graphql-ws (a WebSocket on this same path), not over HTTP');
    expect(await raw(JSON.stringify({ query: 'subscription { notificationReceived { id } }' }))).toEqual(overHttp);
    // graphql-js' subscription rule throws on an invalid @include value: refused before it runs.
    expect(await raw(JSON.stringify({ query: 'subscription { certificationStatusChanged @include(if: "yes") { status } }' }))).toEqual(
      overHttp,
    );
    expect(await raw(JSON.stringify({ query: 'query A { __typename }', operationName: 'B' }))).toEqual(
      refused('Unknown operation named "B"'),
    );
    expect(await raw(JSON.stringify({ query: 'query A { __typename } query B { __typename }' }))).toEqual(
      refused('The document has 2 operations: name the one to run (operationName)'),
    );
  });

  it("answers Apollo's persisted-query refusals, and a malformed tenant path, with a contract code", async () => {
    const apq = (persistedQuery: Record<string, unknown>, query?: string) =>
      raw(JSON.stringify({ ...(query ? { query } : {}), extensions: { persistedQuery } }));
    expect(await apq({ version: 2, sha256Hash: 'a'.repeat(64) })).toEqual({
      status: 400,
      body: { errors: [{ message: 'Unsupported persisted query version', extensions: { code: 'BAD_USER_INPUT' } }] },
    });
    expect(await apq({ version: 1, sha256Hash: 'b'.repeat(64) }, '{ __typename }')).toEqual({
      status: 400,
      body: { errors: [{ message: 'provided sha does not match query', extensions: { code: 'BAD_USER_INPUT' } }] },
    });
    for (const path of ['/t/%/graphql', '/t/%zz/graphql', '/t/%E0%A4%A/graphql']) {
      const answer = await raw(JSON.stringify({ query: '{ __typename }' }), { 'content-type': 'application/json', 'x-tenant': '' }, path);
      expect([path, answer.status, (answer.body as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code]).toEqual([
        path,
        404,
        'TENANT_NOT_FOUND',
      ]);
    }
  });

  it('answers an unknown path with NOT_FOUND', async () => {
    expect(await raw('{}', { 'content-type': 'application/json' }, '/admin')).toEqual({
      status: 404,
      body: { errors: [{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }] },
    });
  });

  it('keeps stack traces, hosts and subgraph names out of every error above', async () => {
    const bodies = await Promise.all([
      raw('{"query": "{ me { id }'),
      raw(JSON.stringify({ query: '{ nope }' })),
      supergraph.request('{ course(id: "x") { id } }', { tenant: 'demo' }).then((r) => r.body),
    ]);
    const text = JSON.stringify(bodies);
    expect(text).not.toMatch(/stack|stacktrace|127\.0\.0\.1|localhost|serviceName|users|courses subgraph|exception/i);
  });

  it("returns the other subgraphs' data and UPSTREAM_UNAVAILABLE for the fields of a subgraph that is down", async () => {
    const partial = await startSupergraph({ without: ['impact'] });
    try {
      const token = await partial.login('learner@demo.academy.mx', 'academy-demo-2026', 'demo');
      const response = await partial.request('{ me { name certificates { verificationCode } impact { overall } } }', {
        token,
        tenant: 'demo',
      });
      expect(response.body).toEqual({
        data: { me: null },
        // Apollo Gateway reports a failed subgraph fetch without a path.
        errors: [{ message: 'A service behind the gateway is temporarily unavailable', extensions: { code: 'UPSTREAM_UNAVAILABLE' } }],
      });
      const nullable = await partial.request<{ me: { name: string }; viewerTenant: { slug: string } }>(
        '{ viewerTenant { slug } me { name } }',
        { token, tenant: 'demo' },
      );
      expect(nullable.body).toEqual({ data: { viewerTenant: { slug: 'demo' }, me: { name: 'María Fernanda Hernández Pérez' } } });
    } finally {
      await partial.close();
    }
  });

  it('turns introspection and the landing page off in production', async () => {
    const production = await startSupergraph({ production: true });
    try {
      const introspection = await production.request('{ __schema { queryType { name } } }', { tenant: 'demo' });
      expect(introspection.body).toEqual({
        errors: [
          {
            message:
              'GraphQL introspection is not allowed by Apollo Server, but the query contained __schema or __type. To enable introspection, pass introspection: true to ApolloServer in production',
            locations: [{ line: 1, column: 3 }],
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      });
      const page = await httpRequest(`${production.origin}/graphql`, { headers: { accept: 'text/html' } });
      expect(page.text).not.toContain('<!DOCTYPE html>');
      expect((await production.request('{ viewerTenant { slug } }', { tenant: 'demo' })).body).toEqual({
        data: { viewerTenant: { slug: 'demo' } },
      });
    } finally {
      await production.close();
    }
  });
});
