import { createTenant, startSupergraph, TEST_PASSWORD, type RunningSupergraph, type TestTenant } from '@academy/testing';

const LOGIN = 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { user { email } } }';

/**
 * Wrong passwords cannot lock anybody out: they are counted per account and address (the
 * gateway's budgets and the users subgraph's growing waits), and per address across accounts.
 * The real budgets (scale 1); clients name their address through a trusted proxy's X-Forwarded-For.
 */
describe('login protection without lockout', () => {
  let supergraph: RunningSupergraph;
  let fixture: TestTenant;
  beforeAll(async () => {
    supergraph = await startSupergraph({ rateLimitScale: 1, trustedProxies: 1 });
    fixture = await createTenant(supergraph.db.database);
  });
  afterAll(() => supergraph?.close());

  const login = (address: string, email: string, password: string) =>
    supergraph
      .request(LOGIN, { tenant: fixture.tenant.slug, variables: { email, password }, headers: { 'x-forwarded-for': address } })
      .then((response) => response.body as { data: unknown; errors?: { extensions: { code: string } }[] });
  const codeOf = (body: { errors?: { extensions: { code: string } }[] }) => body.errors?.[0]?.extensions.code ?? 'OK';

  it('50 wrong passwords for an account from one address do not stop its owner signing in from another', async () => {
    const { email } = fixture.users.EVALUATOR;
    const codes = [];
    for (let attempt = 1; attempt <= 50; attempt += 1) codes.push(codeOf(await login('203.0.113.7', email, `wrong password ${attempt}`)));
    // Wrong, until that address must wait; never a success.
    expect(codes.slice(0, 5)).toEqual(Array(5).fill('UNAUTHENTICATED'));
    expect(codes.slice(5)).toEqual(Array(45).fill('RATE_LIMITED'));
    // The attacker's address cannot get in even with the right password now...
    expect(codeOf(await login('203.0.113.7', email, TEST_PASSWORD))).toBe('RATE_LIMITED');
    // ...the owner, from their own address, is not held up at all.
    expect(await login('198.51.100.20', email, TEST_PASSWORD)).toEqual({ data: { login: { user: { email } } } });
    // Every decision counted (and logged): the users subgraph's waits, then the gateway's budgets (per account and address, per address).
    const series = async (url: string, name: string, label: string) => {
      const text = await fetch(url).then((response) => response.text());
      const pattern = new RegExp(`^${name}\\{${label}="([\\w-]+)"[^}]*\\} (\\d+)$`, 'gm');
      return Object.fromEntries([...text.matchAll(pattern)].map((match) => [match[1], Number(match[2])]));
    };
    const users = supergraph.subgraphUrls.users!.replace(/\/graphql$/, '/metrics');
    expect(await series(users, 'academy_login_decisions_total', 'decision')).toEqual({ 'wrong-password': 5, throttled: 5, 'signed-in': 1 });
    expect(await series(`${supergraph.origin}/metrics`, 'academy_gateway_rate_limited_total', 'scope')).toEqual({
      'login-account': 41,
      'login-address': 31,
    });
  });

  it('slows password spraying from one address across accounts', async () => {
    const codes = [];
    for (let attempt = 1; attempt <= 25; attempt += 1)
      codes.push(codeOf(await login('192.0.2.99', `persona${attempt}@${fixture.tenant.slug}.test`, 'Primavera2026!')));
    // The address's budget (20 tries in 10 minutes) runs out; the rest wait.
    expect(codes).toEqual([...Array(20).fill('UNAUTHENTICATED'), ...Array(5).fill('RATE_LIMITED')]);
    const refused = await login('192.0.2.99', fixture.users.LEARNER.email, TEST_PASSWORD);
    // Refused before it runs (an HTTP 429, no data).
    expect(refused).toEqual({
      errors: [
        {
          message: expect.stringMatching(/^Too many requests; retry after \d+ s$/),
          extensions: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) },
        },
      ],
    });
    // Everyone else signs in as usual.
    expect(await login('198.51.100.21', fixture.users.LEARNER.email, TEST_PASSWORD)).toEqual({
      data: { login: { user: { email: fixture.users.LEARNER.email } } },
    });
  });
});
