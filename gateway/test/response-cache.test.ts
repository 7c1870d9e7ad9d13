import { sampleValue, scrape, startSupergraph, type RunningSupergraph } from '@academy/testing';

const CATALOGUE =
  '{ courses(first: 3) { edges { node { id title instructor { name } competencyStandard { code title } certificateCount } } totalCount } }';
const STANDARDS = '{ competencyStandards(first: 2, search: "solar") { edges { node { code title level } } totalCount } }';
const PRIVATE = '{ me { id email curp enrollments { id progressPercent } } }';

/** Public data shared per tenant in Redis; nothing private ever comes out of the shared cache. */
describe('response cache', () => {
  let supergraph: RunningSupergraph;
  let token: string;
  beforeAll(async () => {
    supergraph = await startSupergraph();
    token = await supergraph.login('learner@demo.academy.mx', 'academy-demo-2026', 'demo');
  });
  afterAll(() => supergraph?.close());

  const ask = async (query: string, tenant: string, options: { token?: string; variables?: Record<string, unknown> } = {}) => {
    supergraph.subgraphRequests.reset();
    const response = await supergraph.request(query, { tenant, ...options });
    return {
      status: response.status,
      body: response.body,
      cacheControl: response.headers['cache-control'],
      hit: response.headers.age !== undefined,
      subgraphRequests: supergraph.subgraphRequests.count,
    };
  };

  it('answers a repeated anonymous catalogue query from the cache, without asking a subgraph', async () => {
    const first = await ask(CATALOGUE, 'demo');
    expect(first).toMatchObject({ status: 200, cacheControl: 'max-age=60, public', hit: false });
    expect(first.body.errors).toBeUndefined();
    expect(first.subgraphRequests).toBeGreaterThanOrEqual(3);
    const second = await ask(CATALOGUE, 'demo');
    expect(second).toEqual({ ...first, hit: true, subgraphRequests: 0, cacheControl: expect.stringMatching(/^max-age=\d+, public$/) });
    // The standards catalogue is kept an hour.
    await ask(STANDARDS, 'demo');
    expect(await ask(STANDARDS, 'demo')).toMatchObject({
      hit: true,
      subgraphRequests: 0,
      cacheControl: expect.stringMatching(/^max-age=36\d\d, public$/),
    });
  });

  it("keeps each tenant's answers to itself", async () => {
    await ask(CATALOGUE, 'demo');
    const other = await ask(CATALOGUE, 'cooperativa-sol');
    expect(other.hit).toBe(false);
    expect(other.subgraphRequests).toBeGreaterThan(0);
    const demo = await ask(CATALOGUE, 'demo');
    expect(other.body).not.toEqual(demo.body);
  });

  it('never serves a signed-in request from the shared cache, nor stores its answer, and tells caches not to keep it', async () => {
    await ask(CATALOGUE, 'demo');
    const signedIn = await ask(CATALOGUE, 'demo', { token });
    expect(signedIn).toMatchObject({ hit: false, cacheControl: 'private, no-store' });
    expect(signedIn.subgraphRequests).toBeGreaterThan(0);
    const mine = await ask(PRIVATE, 'demo', { token });
    const again = await ask(PRIVATE, 'demo', { token });
    expect(again).toMatchObject({ hit: false, cacheControl: 'private, no-store' });
    expect(again.subgraphRequests).toBeGreaterThan(0);
    const me = (mine.body.data as { me: { email: string; curp: string } }).me;
    const keys = await supergraph.redis.keys(`${supergraph.redisPrefix}response-cache:*`);
    expect(keys.length).toBeGreaterThan(0);
    const stored = (await Promise.all(keys.map((key) => supergraph.redis.get(key)))).join('\n');
    expect(stored).toContain('"courses"');
    expect(stored).not.toContain(me.email);
    expect(stored).not.toContain(me.curp);
    expect(stored).not.toContain('progressPercent');
  });

  it('does not cache a response with a field that has no hint (the tenant viewing it), or with errors', async () => {
    const mixed = `{ viewerTenant { slug } ${STANDARDS.slice(1, -1)} }`;
    await ask(mixed, 'demo');
    expect(await ask(mixed, 'demo')).toMatchObject({ hit: false, cacheControl: 'no-store' });
    const missing = '{ course(slug: "no-such-course") { id } verifyCertificate(code: "NOPE-NOPE") { valid } }';
    await ask(missing, 'demo');
    expect((await ask(missing, 'demo')).hit).toBe(false);
  });

  it('caches public certificate verification', async () => {
    const query = 'query($code: String!) { verifyCertificate(code: $code) { valid status courseTitle } }';
    const mine = await supergraph.request<{ me: { certificates: { verificationCode: string; course: { title: string } }[] } }>(
      '{ me { certificates { verificationCode course { title } } } }',
      { tenant: 'demo', token },
    );
    const certificate = mine.body.data!.me.certificates[0]!;
    const variables = { code: certificate.verificationCode };
    const first = await ask(query, 'demo', { variables });
    expect(first.body).toEqual({ data: { verifyCertificate: { valid: true, status: 'ISSUED', courseTitle: certificate.course.title } } });
    expect(await ask(query, 'demo', { variables })).toMatchObject({ hit: true, subgraphRequests: 0, body: first.body });
    const metrics = await scrape(`${supergraph.origin}/metrics`);
    expect(sampleValue(metrics, 'academy_gateway_response_cache_total', { result: 'hit' })).toBeGreaterThanOrEqual(3);
    expect(sampleValue(metrics, 'academy_gateway_response_cache_total', { result: 'miss' })).toBeGreaterThanOrEqual(3);
  });
});
