import { sampleValue, scrape, startSupergraph, type RunningSupergraph } from '@academy/testing';

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
    const response = await supergraph.request<{ me: { email: string } }>('query Profile { me { email name } }', { tenant: 'demo', token, headers: { 'x-request-id': 'req-telemetry-1' } });
    expect(response.body.data!.me.email).toBe(EMAIL);
    expect(response.headers['x-request-id']).toBe('req-telemetry-1');
    const wrong = await supergraph.request('mutation SignIn($email: String!, $password: String!) { login(email: $email, password: $password) { token } }', {
      tenant: 'demo',
      variables: { email: EMAIL, password: 'not-the-password' },
      headers: { 'x-request-id': 'req-telemetry-2' },
    });
    expect(wrong.body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');

    const lines = supergraph.logs.filter((line) => line.msg === 'operation' || line.msg === 'operation failed');
    expect(lines.map(({ time: _time, pid: _pid, hostname: _hostname, durationMs, userId, ...line }) => ({ ...line, durationMs: typeof durationMs, userId: typeof userId }))).toEqual([
      { level: 30, service: 'test', name: 'test', msg: 'operation', requestId: 'req-telemetry-1', tenant: 'demo', userId: 'string', operationName: 'Profile', operationType: 'query', durationMs: 'number', status: 200 },
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
    for (const [name, labels] of expected) expect([name, sampleValue(metrics, name, { ...gateway, ...labels })]).toEqual([name, expect.any(Number)]);
    for (const [name, labels] of expected.slice(0, 7)) expect([name, sampleValue(metrics, name, { ...gateway, ...labels })! > 0]).toEqual([name, true]);
    expect(sampleValue(metrics, 'academy_gateway_subgraph_circuit_state', { ...gateway, subgraph: 'courses' })).toBe(0);
    expect(sampleValue(metrics, 'academy_gateway_rate_limiter_degraded', gateway)).toBe(0);
    expect(sampleValue(metrics, 'nodejs_eventloop_lag_p99_seconds', gateway)).toEqual(expect.any(Number));
  });

  it("exposes each subgraph's own operations at its /metrics", async () => {
    const metrics = await scrape(supergraph.subgraphUrls.users!.replace(/\/graphql$/, '/metrics'));
    expect(sampleValue(metrics, 'academy_graphql_operations_total', { service: 'users', type: 'query' })).toBeGreaterThan(0);
    expect(sampleValue(metrics, 'academy_graphql_operation_duration_seconds_count', { service: 'users', type: 'mutation' })).toBeGreaterThan(0);
  });
});
