import {
  httpRequest,
  startGatewayProcess,
  startSupergraph,
  subgraphStandIn,
  subscribe,
  type RunningSupergraph,
  type SubgraphStandIn,
} from '@academy/testing';

const SUBSCRIPTION = 'subscription { certificationStatusChanged { status } }';
const COURSES_WITH_STANDARDS = '{ courses(first: 3) { edges { node { title competencyStandard { code } } } } }';

describe('health and graceful shutdown', () => {
  let standIn: SubgraphStandIn;
  let supergraph: RunningSupergraph;
  let token: string;
  beforeAll(async () => {
    standIn = await subgraphStandIn();
    supergraph = await startSupergraph({ subgraphUrlOverrides: { conocer: standIn.url } });
    standIn.state.target = supergraph.subgraphUrls.conocer!;
    token = await supergraph.login('learner@demo.academy.mx', 'academy-demo-2026', 'demo');
  });
  afterAll(async () => {
    await supergraph?.close();
    await standIn?.close();
  });

  const json = async (url: string) => {
    const response = await httpRequest(url, {});
    return { status: response.status, body: JSON.parse(response.text) as unknown };
  };

  it('is live and ready on every service, naming what readiness checked', async () => {
    expect(await json(`${supergraph.origin}/health/live`)).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await json(`${supergraph.origin}/health/ready`)).toEqual({
      status: 200,
      body: { status: 'ready', checks: { database: 'ok', redis: 'ok', supergraph: 'ok', accepting: 'ok' } },
    });
    for (const [name, url] of Object.entries(supergraph.subgraphUrls)) {
      expect([name, await json(url.replace(/\/graphql$/, '/health/ready'))]).toEqual([name, { status: 200, body: { status: 'ready' } }]);
    }
  });

  it('answers the requests in flight, tells subscribers it is going away (1001), then stops', async () => {
    const live = subscribe(supergraph.origin, { query: SUBSCRIPTION, token, tenant: 'demo' });
    await live.connected;
    standIn.state.delayMs = 700;
    const inFlight = supergraph.request<{ courses: { edges: { node: { competencyStandard: { code: string } | null } }[] } }>(
      COURSES_WITH_STANDARDS,
      { tenant: 'demo' },
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const closing = supergraph.gateway.close(5_000);
    expect(await live.closed).toEqual({ code: 1001, reason: expect.any(String) });
    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(answered.body.errors).toBeUndefined();
    expect(answered.body.data!.courses.edges.map((edge) => edge.node.competencyStandard !== null)).toEqual([true, true, true]);
    await closing;
    await expect(httpRequest(`${supergraph.origin}/health/live`, {})).rejects.toThrow(/ECONNREFUSED/);
    await live.dispose();
  });

  it('stops a gateway process on SIGTERM with exit code 0, closing its subscribers with 1001', async () => {
    const other = await startSupergraph();
    try {
      const process = await startGatewayProcess(other);
      const otherToken = await other.login('learner@demo.academy.mx', 'academy-demo-2026', 'demo');
      const live = subscribe(process.origin, { query: SUBSCRIPTION, token: otherToken, tenant: 'demo' });
      await live.connected;
      const started = Date.now();
      expect(await process.close()).toBe(0);
      expect(await live.closed).toEqual({ code: 1001, reason: expect.any(String) });
      expect(Date.now() - started).toBeLessThan(5_000);
      await live.dispose();
    } finally {
      await other.close();
    }
  }, 60_000);
});
