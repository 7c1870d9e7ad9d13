import { sampleValue, scrape, startSupergraph, subgraphStandIn, type RunningSupergraph, type SubgraphStandIn } from '@academy/testing';

const COURSES_WITH_STANDARDS = '{ courses(first: 3) { edges { node { title competencyStandard { code } } } } }';

/**
 * A supergraph whose conocer URL points at a stand-in; a fresh gateway each (the breaker counts the
 * last 10 s). The deadline leaves a cold first request on a busy CI machine room (800 ms did not).
 */
function withConocerStandIn() {
  let standIn: SubgraphStandIn;
  let supergraph: RunningSupergraph;
  beforeAll(async () => {
    standIn = await subgraphStandIn();
    supergraph = await startSupergraph({
      subgraphUrlOverrides: { conocer: standIn.url },
      subgraphFetch: { timeoutMs: 1_500, volumeThreshold: 4, errorThresholdPercentage: 50, resetTimeoutMs: 1_000 },
    });
    standIn.state.target = supergraph.subgraphUrls.conocer!;
  });
  afterAll(async () => {
    await supergraph?.close();
    await standIn?.close();
  });

  const courses = async () => {
    const started = Date.now();
    const response = await supergraph.request<{
      courses: { edges: { node: { title: string; competencyStandard: { code: string } | null } }[] };
    }>(COURSES_WITH_STANDARDS, { tenant: 'demo' });
    return { ...response, ms: Date.now() - started };
  };
  const circuit = async () => {
    return sampleValue(await scrape(`${supergraph.origin}/metrics`), 'academy_gateway_subgraph_circuit_state', { subgraph: 'conocer' });
  };

  return { standIn: () => standIn, supergraph: () => supergraph, courses, circuit };
}

describe('a subgraph that hangs', () => {
  const { standIn, courses, supergraph } = withConocerStandIn();
  it('reuses kept-alive connections to a subgraph', async () => {
    standIn().state.connections = 0;
    for (let i = 0; i < 10; i += 1) expect((await courses()).body.errors).toBeUndefined();
    expect(standIn().state.connections).toBe(1);
  });

  it("answers within the deadline with the other subgraphs' data and UPSTREAM_UNAVAILABLE for the hanging one's", async () => {
    const healthy = await courses();
    const titles = healthy.body.data!.courses.edges.map((edge) => edge.node.title);
    expect(healthy.body.data!.courses.edges.every((edge) => edge.node.competencyStandard !== null)).toBe(true);
    standIn().state.mode = 'hang';
    const response = await courses();
    expect({ status: response.status, body: response.body }).toEqual({
      status: 200,
      body: {
        data: { courses: { edges: titles.map((title) => ({ node: { title, competencyStandard: null } })) } },
        errors: [{ message: 'A service behind the gateway is temporarily unavailable', extensions: { code: 'UPSTREAM_UNAVAILABLE' } }],
      },
    });
    expect(response.ms).toBeGreaterThanOrEqual(1_500);
    expect(response.ms).toBeLessThan(3_000);
    const metrics = await scrape(`${supergraph().origin}/metrics`);
    expect(sampleValue(metrics, 'academy_gateway_subgraph_fetches_total', { subgraph: 'conocer', outcome: 'timeout' })).toBe(1);
    expect(
      sampleValue(metrics, 'academy_gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'conocer', outcome: 'ok' }),
    ).toBeGreaterThan(0);
  });
});

describe('a subgraph that fails and comes back', () => {
  const { standIn, courses, supergraph, circuit } = withConocerStandIn();
  it('opens the circuit of a failing subgraph (its fields fail at once), then closes it when the subgraph is back', async () => {
    standIn().state.mode = 'fail';
    for (let i = 0; i < 4; i += 1)
      expect((await courses()).body.errors).toEqual([
        { message: 'A service behind the gateway is temporarily unavailable', extensions: { code: 'UPSTREAM_UNAVAILABLE' } },
      ]);
    expect(await circuit()).toBe(2);
    // Back, but the circuit is open: nothing is sent to it until the reset timeout.
    standIn().state.mode = 'proxy';
    const requestsBefore = standIn().state.requests;
    const fast = await courses();
    expect(fast.body.errors).toEqual([
      { message: 'A service behind the gateway is temporarily unavailable', extensions: { code: 'UPSTREAM_UNAVAILABLE' } },
    ]);
    expect(fast.body.data!.courses.edges.length).toBe(3);
    expect(standIn().state.requests).toBe(requestsBefore);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await circuit()).toBe(1);
    const recovered = await courses();
    expect(recovered.body.errors).toBeUndefined();
    expect(recovered.body.data!.courses.edges.every((edge) => edge.node.competencyStandard !== null)).toBe(true);
    expect(await circuit()).toBe(0);
    const metrics = await scrape(`${supergraph().origin}/metrics`);
    expect(sampleValue(metrics, 'academy_gateway_subgraph_fetches_total', { subgraph: 'conocer', outcome: 'circuit-open' })).toBe(1);
    expect(sampleValue(metrics, 'academy_gateway_subgraph_fetches_total', { subgraph: 'conocer', outcome: 'error' })).toBe(4);
  });
});

describe('identical subgraph requests in flight', () => {
  const { standIn, supergraph } = withConocerStandIn();
  const STANDARD = '{ competencyStandard(code: "EC0217.01") { code title } }';

  it('share one request to the subgraph; another viewer or a mutation gets its own', async () => {
    standIn().state.delayMs = 300;
    standIn().state.requests = 0;
    const anonymous = await Promise.all(
      Array.from({ length: 5 }, () =>
        supergraph().request<{ competencyStandard: { code: string } }>(STANDARD, {
          tenant: 'demo',
          headers: { 'x-request-id': `same-${Math.random()}` },
        }),
      ),
    );
    expect(anonymous.map((response) => response.body.data!.competencyStandard.code)).toEqual(Array<string>(5).fill('EC0217.01'));
    // The gateway's response cache is keyed by the whole request: the five are concurrent, so all reach the fetch.
    expect(standIn().state.requests).toBe(1);
    standIn().state.requests = 0;
    const learner = await supergraph().login('learner@demo.academy.mx', 'academy-demo-2026', 'demo');
    const admin = await supergraph().login('tenant_admin@demo.academy.mx', 'academy-demo-2026', 'demo');
    await Promise.all([
      supergraph().request(STANDARD, { tenant: 'demo', token: learner }),
      supergraph().request(STANDARD, { tenant: 'demo', token: admin }),
    ]);
    expect(standIn().state.requests).toBe(2);
    standIn().state.requests = 0;
    const retry = 'mutation { retryConocerSubmission(id: "00000000-0000-4000-8000-000000000000") { id } }';
    const mutations = await Promise.all([
      supergraph().request(retry, { tenant: 'demo', token: admin }),
      supergraph().request(retry, { tenant: 'demo', token: admin }),
    ]);
    expect(mutations.map((response) => response.body.errors?.[0]?.extensions?.code)).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    expect(standIn().state.requests).toBe(2);
    const metrics = await scrape(`${supergraph().origin}/metrics`);
    expect(sampleValue(metrics, 'academy_gateway_subgraph_fetches_total', { subgraph: 'conocer', outcome: 'deduplicated' })).toBe(4);
    standIn().state.delayMs = 0;
  });
});
