import { randomUUID } from 'node:crypto';
import { signForwardedContext } from '@academy/platform';
import {
  freePort,
  sampleValue,
  scrape,
  startServiceProcess,
  startSupergraph,
  testEnvironment,
  type GatewayProcess,
  type RunningSupergraph,
} from '@academy/testing';

const EMAIL = 'learner@demo.academy.mx';
const PASSWORD = 'academy-demo-2026';

/** What operators see of a request: one log line without secrets or PII, and the metrics. */
describe('logs and metrics', () => {
  let supergraph: RunningSupergraph;
  let token: string;
  beforeAll(async () => {
    supergraph = await startSupergraph({ captureLogs: true });
    token = await supergraph.login(EMAIL, PASSWORD, 'demo');
  });
  afterAll(() => supergraph?.close());

  it('logs each operation once with request id, tenant, operation, duration and status, and never an email, a password or a token', async () => {
    supergraph.logs.length = 0;
    const response = await supergraph.request<{ me: { email: string } }>('query Profile { me { email name } }', {
      tenant: 'demo',
      token,
      headers: { 'x-request-id': 'req-telemetry-1' },
    });
    expect(response.body.data!.me.email).toBe(EMAIL);
    expect(response.headers['x-request-id']).toBe('req-telemetry-1');
    // The gateway's own share and the time it waited on the users subgraph, for developer tools.
    const timing = /^gateway;dur=(\d+(?:\.\d)?), subgraphs;dur=(\d+(?:\.\d)?)$/.exec(String(response.headers['server-timing']));
    expect(timing).not.toBeNull();
    expect(Number(timing![2])).toBeGreaterThan(0);
    const wrong = await supergraph.request(
      'mutation SignIn($email: String!, $password: String!) { login(email: $email, password: $password) { token } }',
      {
        tenant: 'demo',
        variables: { email: EMAIL, password: 'not-the-password' },
        headers: { 'x-request-id': 'req-telemetry-2' },
      },
    );
    expect(wrong.body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');

    const lines = supergraph.logs.filter((line) => line.msg === 'operation' || line.msg === 'operation failed');
    expect(
      lines.map(({ time: _time, pid: _pid, hostname: _hostname, durationMs, subgraphMs, userId, ...line }) => ({
        ...line,
        durationMs: typeof durationMs,
        subgraphMs: typeof subgraphMs,
        userId: typeof userId,
      })),
    ).toEqual([
      {
        level: 30,
        service: 'test',
        name: 'test',
        msg: 'operation',
        requestId: 'req-telemetry-1',
        tenant: 'demo',
        userId: 'string',
        operationName: 'Profile',
        operationType: 'query',
        durationMs: 'number',
        subgraphMs: 'number',
        status: 200,
      },
      {
        level: 40,
        service: 'test',
        name: 'test',
        msg: 'operation failed',
        requestId: 'req-telemetry-2',
        tenant: 'demo',
        userId: 'undefined',
        operationName: 'SignIn',
        operationType: 'mutation',
        durationMs: 'number',
        subgraphMs: 'number',
        status: 200,
        errorCodes: ['UNAUTHENTICATED'],
      },
    ]);
    const everything = JSON.stringify(supergraph.logs);
    expect(everything).not.toContain(EMAIL);
    expect(everything).not.toContain('not-the-password');
    expect(everything).not.toContain(token.split('.')[2]);
  });

  it('exposes rate, errors by code, latency, subgraph fetches, limits and circuits at the gateway /metrics', async () => {
    const metrics = await scrape(`${supergraph.origin}/metrics`);
    const gateway = { service: 'gateway' };
    const expected: [string, Record<string, string>][] = [
      ['academy_graphql_operations_total', { type: 'query' }],
      ['academy_graphql_errors_total', { code: 'UNAUTHENTICATED' }],
      ['academy_graphql_operation_duration_seconds_bucket', { type: 'query', le: '2' }],
      ['academy_http_requests_total', { route: 'graphql', status: '200' }],
      ['academy_http_request_duration_seconds_count', { route: 'graphql' }],
      ['academy_gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'users', outcome: 'ok' }],
      ['academy_gateway_subgraph_fetches_total', { subgraph: 'users', outcome: 'ok' }],
      ['process_resident_memory_bytes', {}],
    ];
    for (const [name, labels] of expected)
      expect([name, sampleValue(metrics, name, { ...gateway, ...labels })]).toEqual([name, expect.any(Number)]);
    expect(sampleValue(metrics, 'academy_gateway_own_duration_seconds_count', gateway)).toBeGreaterThanOrEqual(2);
    for (const [name, labels] of expected.slice(0, 7))
      expect([name, sampleValue(metrics, name, { ...gateway, ...labels })! > 0]).toEqual([name, true]);
    expect(sampleValue(metrics, 'academy_gateway_subgraph_circuit_state', { ...gateway, subgraph: 'courses' })).toBe(0);
    expect(sampleValue(metrics, 'academy_gateway_rate_limiter_degraded', gateway)).toBe(0);
    expect(sampleValue(metrics, 'nodejs_eventloop_lag_p99_seconds', gateway)).toEqual(expect.any(Number));
  });

  it("exposes each subgraph's own operations at its /metrics", async () => {
    const metrics = await scrape(supergraph.subgraphUrls.users!.replace(/\/graphql$/, '/metrics'));
    expect(sampleValue(metrics, 'academy_graphql_operations_total', { service: 'users', type: 'query' })).toBeGreaterThan(0);
    expect(
      sampleValue(metrics, 'academy_graphql_operation_duration_seconds_count', { service: 'users', type: 'mutation' }),
    ).toBeGreaterThan(0);
  });
});

/** A subgraph as deployed (its own process and pool) counts every SQL statement it sends. */
describe('statements per subgraph', () => {
  let supergraph: RunningSupergraph;
  let subgraph: GatewayProcess | undefined;
  beforeAll(async () => {
    supergraph = await startSupergraph();
  });
  afterAll(async () => {
    await subgraph?.close();
    await supergraph?.close();
  });

  it('counts them by kind at /metrics: a read session is the tenant’s setting (on a connection that had another), then the reads', async () => {
    const port = await freePort();
    const { DATABASE_APP_URL, REDIS_URL, REDIS_PREFIX, GATEWAY_SECRET } = supergraph.gatewayEnvironment(port);
    subgraph = await startServiceProcess('subgraphs/certifications/src/main.ts', {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_APP_URL: DATABASE_APP_URL!,
      REDIS_URL: REDIS_URL!,
      REDIS_PREFIX: REDIS_PREFIX!,
      GATEWAY_SECRET: GATEWAY_SECRET!,
      CREDENTIAL_SIGNING_KEY: testEnvironment().TEST_CREDENTIAL_SIGNING_KEY,
      // Its PDFs' storage, as the supergraph's services have it.
      ...Object.fromEntries(Object.entries(supergraph.workerEnvironment()).filter(([name]) => name.startsWith('S3_'))),
      PORT: String(port),
    });
    const { origin } = subgraph;
    const before = await scrape(`${origin}/metrics`);
    const tenant = (await supergraph.gateway.tenants.bySlug('demo'))!;
    const lookUp = async () => {
      const response = await fetch(`${origin}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...signForwardedContext(supergraph.gatewaySecret, {
            tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name, tier: tenant.tier },
            viewer: { userId: randomUUID(), tenantId: tenant.id, persona: 'TENANT_ADMIN' },
          }),
        },
        body: JSON.stringify({ query: `{ certificate(id: "${randomUUID()}") { id } }` }),
      });
      expect(await response.json()).toMatchObject({
        data: { certificate: null },
        errors: [{ message: 'Certificate not found', extensions: { code: 'NOT_FOUND' }, path: ['certificate'] }],
      });
    };
    const countedBy = async (from: Awaited<ReturnType<typeof scrape>>) => {
      const to = await scrape(`${origin}/metrics`);
      const counted = (kind: string) =>
        (sampleValue(to, 'academy_database_statements_total', { service: 'certifications', kind }) ?? 0) -
        (sampleValue(from, 'academy_database_statements_total', { service: 'certifications', kind }) ?? 0);
      return {
        counts: Object.fromEntries(['transaction', 'select', 'insert', 'update', 'delete'].map((kind) => [kind, counted(kind)])),
        to,
      };
    };
    // A new process: its session connection gets the tenant first; no BEGIN or COMMIT around the read.
    await lookUp();
    const first = await countedBy(before);
    expect(first.counts).toEqual({ transaction: 1, select: 1, insert: 0, update: 0, delete: 0 });
    // The next read of the same tenant: the connection has it already.
    await lookUp();
    expect((await countedBy(first.to)).counts).toEqual({ transaction: 0, select: 1, insert: 0, update: 0, delete: 0 });
  });
});
