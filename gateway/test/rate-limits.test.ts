import { createRedis, closeRedis, type Redis } from '@academy/platform';
import {
  createTenant,
  startRedisServer,
  httpRequest,
  sampleValue,
  scrape,
  startGatewayProcess,
  startSupergraph,
  TEST_PASSWORD,
  type RunningRedisServer,
  type RunningSupergraph,
  type TestTenant,
} from '@academy/testing';

/** `{ me { id name } }` costs 3 points: me, id, name. */
const ME = '{ me { id name } }';
const ME_COST = 3;

/**
 * Budgets at 1/100 of production (RATE_LIMIT_SCALE 0.01): per minute a COMMUNITY user has 50
 * points and a PROFESSIONAL one 200 (login budgets are never scaled down).
 */
describe('rate limits per tenant tier', () => {
  let supergraph: RunningSupergraph;
  let community: TestTenant;
  let professional: TestTenant;
  beforeAll(async () => {
    supergraph = await startSupergraph({ rateLimitScale: 0.01 });
    community = await createTenant(supergraph.db.database, { tier: 'COMMUNITY' });
    professional = await createTenant(supergraph.db.database, { tier: 'PROFESSIONAL' });
  });
  afterAll(() => supergraph?.close());

  const ask = (origin: string, tenant: TestTenant, token: string, query = ME) =>
    httpRequest(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tenant': tenant.tenant.slug, authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });
  const budget = (response: { headers: Record<string, unknown> }) => ({
    limit: response.headers['ratelimit-limit'],
    remaining: response.headers['ratelimit-remaining'],
    policy: response.headers['ratelimit-policy'],
  });

  it('limits a COMMUNITY tenant before a PROFESSIONAL one at the same load, counting the headers down by cost', async () => {
    const tokens = {
      community: await supergraph.login(community.users.LEARNER.email, TEST_PASSWORD, community.tenant.slug),
      professional: await supergraph.login(professional.users.LEARNER.email, TEST_PASSWORD, professional.tenant.slug),
    };
    const seen = { community: [] as unknown[], professional: [] as unknown[] };
    for (let i = 1; i <= 20; i += 1) {
      for (const [tier, tenant] of [
        ['community', community],
        ['professional', professional],
      ] as const) {
        const response = await ask(supergraph.origin, tenant, tokens[tier]);
        seen[tier].push({ status: response.status, ...budget(response) });
        if (response.status === 429) {
          const retryAfter = Number(response.headers['retry-after']);
          expect(retryAfter).toBeGreaterThan(0);
          expect(retryAfter).toBeLessThanOrEqual(60);
          expect(JSON.parse(response.text)).toEqual({
            errors: [{ message: `Too many requests; retry after ${retryAfter} s`, extensions: { code: 'RATE_LIMITED', retryAfter } }],
          });
        } else {
          expect(JSON.parse(response.text)).toEqual({ data: { me: { id: tenant.users.LEARNER.id, name: tenant.users.LEARNER.name } } });
        }
      }
    }
    // 50 points: 16 requests of 3 fit (48), the 17th would make 51.
    expect(seen.community).toEqual(
      Array.from({ length: 20 }, (_, i) =>
        i < 16
          ? { status: 200, limit: '50', remaining: String(50 - ME_COST * (i + 1)), policy: '50;w=60' }
          : { status: 429, limit: '50', remaining: '0', policy: '50;w=60' },
      ),
    );
    expect(seen.professional).toEqual(
      Array.from({ length: 20 }, (_, i) => ({ status: 200, limit: '200', remaining: String(200 - ME_COST * (i + 1)), policy: '200;w=60' })),
    );
    expect(sampleValue(await scrape(`${supergraph.origin}/metrics`), 'academy_gateway_rate_limited_total', { scope: 'user' })).toBe(4);
  });

  it('charges by cost: a page of 5 courses costs 18 points, not one request', async () => {
    const token = await supergraph.login(professional.users.INSTRUCTOR.email, TEST_PASSWORD, professional.tenant.slug);
    const query = '{ courses(first: 5) { edges { node { id title } } totalCount } }';
    const first = await ask(supergraph.origin, professional, token, query);
    const second = await ask(supergraph.origin, professional, token, query);
    expect([budget(first), budget(second)]).toEqual([
      { limit: '200', remaining: '182', policy: '200;w=60' },
      { limit: '200', remaining: '164', policy: '200;w=60' },
    ]);
  });

  it('holds one budget across two gateway processes', async () => {
    const other = await createTenant(supergraph.db.database, { tier: 'COMMUNITY' });
    const token = await supergraph.login(other.users.LEARNER.email, TEST_PASSWORD, other.tenant.slug);
    const second = await startGatewayProcess(supergraph);
    try {
      const statuses: number[] = [];
      const remaining: unknown[] = [];
      for (let i = 0; i < 18; i += 1) {
        // Alternating between the two processes.
        const response = await ask(i % 2 === 0 ? supergraph.origin : second.origin, other, token);
        statuses.push(response.status);
        remaining.push(response.headers['ratelimit-remaining']);
      }
      expect(statuses).toEqual([...Array<number>(16).fill(200), 429, 429]);
      expect(remaining.slice(0, 16)).toEqual(Array.from({ length: 16 }, (_, i) => String(50 - ME_COST * (i + 1))));
    } finally {
      await second.close();
    }
  }, 60_000);
});

/** Production's login budgets (scale 1), on a gateway of its own: every login from this test's address counts. */
describe('login and sign-up budgets', () => {
  let supergraph: RunningSupergraph;
  beforeAll(async () => {
    supergraph = await startSupergraph({ rateLimitScale: 1 });
  });
  afterAll(() => supergraph?.close());

  it('allows 10 logins per account and 20 per address in 10 minutes, wrong or right', async () => {
    const login = (tenant: TestTenant, email: string, password: string, address?: string) =>
      httpRequest(`${supergraph.origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tenant': tenant.tenant.slug },
        body: JSON.stringify({
          query: 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }',
          variables: { email, password },
        }),
      }).then((response) => ({
        status: response.status,
        body: JSON.parse(response.text) as { errors?: { extensions: { code: string } }[] },
        address,
      }));
    const fresh = await createTenant(supergraph.db.database, { tier: 'ENTERPRISE' });
    // The account: 10 attempts (the lockout after 5 wrong passwords is the users subgraph's, so these are right).
    const account: number[] = [];
    for (let i = 0; i < 11; i += 1) account.push((await login(fresh, fresh.users.INSTRUCTOR.email.toUpperCase(), TEST_PASSWORD)).status);
    expect(account).toEqual([...Array<number>(10).fill(200), 429]);
    const refused = await login(fresh, fresh.users.INSTRUCTOR.email, TEST_PASSWORD);
    expect(refused.body.errors).toEqual([
      {
        message: expect.stringMatching(/^Too many requests; retry after \d+ s$/),
        extensions: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) },
      },
    ]);
    // The address has made 12 attempts: 8 more on other accounts, then it is refused for any account.
    const others = Object.values(fresh.users).filter((user) => user.id !== fresh.users.INSTRUCTOR.id);
    const byAddress: number[] = [];
    for (let i = 0; i < 9; i += 1) byAddress.push((await login(fresh, `nobody-${i}@${fresh.tenant.slug}.test`, 'wrong password')).status);
    expect(byAddress).toEqual([...Array<number>(8).fill(200), 429]);
    expect((await login(fresh, others[0]!.email, TEST_PASSWORD)).status).toBe(429);
  });

  it('allows 10 sign-ups per address in an hour', async () => {
    const fresh = await createTenant(supergraph.db.database, { tier: 'ENTERPRISE' });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1) {
      const response = await supergraph.request('mutation($input: SignUpInput!) { signUp(input: $input) { user { id } } }', {
        tenant: fresh.tenant.slug,
        variables: { input: { email: `nueva-${i}@${fresh.tenant.slug}.test`, password: 'una contraseña larga', name: `Nueva ${i}` } },
      });
      statuses.push(response.body.errors?.[0]?.extensions?.code === 'RATE_LIMITED' ? 429 : response.status);
    }
    expect(statuses).toEqual([...Array<number>(10).fill(200), 429]);
  });
});

describe('rate limits when Redis is unreachable', () => {
  let redisServer: RunningRedisServer;
  let limiterRedis: Redis;
  let supergraph: RunningSupergraph;
  let fixture: TestTenant;
  beforeAll(async () => {
    // Answering PING before the limiter connects (a redis-server still starting refused the
    // connection twice under load, and one retry per command gave up on the first PING).
    redisServer = await startRedisServer();
    limiterRedis = createRedis(redisServer.url, { name: 'test-rate-limits', maxRetriesPerRequest: 1 });
    await limiterRedis.ping();
    supergraph = await startSupergraph({ rateLimitScale: 0.01, rateLimitRedis: limiterRedis, captureLogs: true });
    fixture = await createTenant(supergraph.db.database, { tier: 'COMMUNITY' });
  });
  afterAll(async () => {
    await supergraph?.close();
    await closeRedis(limiterRedis).catch(() => undefined);
    await redisServer?.close();
  });

  it('falls back to counting in memory, says so in logs and metrics, and serves every request', async () => {
    const token = await supergraph.login(fixture.users.LEARNER.email, TEST_PASSWORD, fixture.tenant.slug);
    const me = () =>
      supergraph
        .request<{ me: { id: string } }>(ME, { tenant: fixture.tenant.slug, token })
        .then((r) => ({ status: r.status, remaining: r.headers['ratelimit-remaining'], errors: r.body.errors }));
    expect(await me()).toEqual({ status: 200, remaining: '47', errors: undefined });
    // Killed (SIGKILL), gone once it has exited.
    await redisServer.close();
    // Counted in this process from zero: the budget still holds, now locally.
    const during = [];
    for (let i = 0; i < 17; i += 1) during.push(await me());
    expect(during.slice(0, 16)).toEqual(
      Array.from({ length: 16 }, (_, i) => ({ status: 200, remaining: String(50 - ME_COST * (i + 1)), errors: undefined })),
    );
    expect(during[16]).toMatchObject({ status: 429, errors: [{ extensions: { code: 'RATE_LIMITED' } }] });
    const metrics = await scrape(`${supergraph.origin}/metrics`);
    expect(sampleValue(metrics, 'academy_gateway_rate_limiter_degraded')).toBe(1);
    expect(sampleValue(metrics, 'academy_gateway_rate_limiter_fallbacks_total')).toBeGreaterThanOrEqual(17);
    expect(
      supergraph.logs.filter((line) => line.level === 40 && String(line.msg).startsWith('rate limits:')).map((line) => line.msg),
    ).toEqual(['rate limits: Redis is unreachable, counting in this process only until it is back']);
  });
});
