import {
  createTenant,
  startGatewayProcess,
  startSupergraph,
  subscribe,
  TEST_PASSWORD,
  type GatewayProcess,
  type RunningSupergraph,
  type TestTenant,
} from '@academy/testing';

const LOGIN =
  'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token expiresAt refreshToken refreshExpiresAt user { name } } }';
const REFRESH =
  'mutation($r: String!) { refreshToken(refreshToken: $r) { token expiresAt refreshToken refreshExpiresAt user { name persona } } }';
const LOGOUT = 'mutation($r: String!) { logout(refreshToken: $r) }';
const ME = '{ me { name } }';

interface Pair {
  token: string;
  expiresAt: string;
  refreshToken: string;
  refreshExpiresAt: string;
}

/**
 * Sessions: 15-minute access tokens and single-use refresh tokens, rotated; a reused one ends its
 * whole session; logout and suspension stop a session's access tokens at once, on every gateway.
 */
describe('sessions (two gateways)', () => {
  let supergraph: RunningSupergraph;
  let second: GatewayProcess;
  let fixture: TestTenant;

  beforeAll(async () => {
    supergraph = await startSupergraph({ isolated: true });
    second = await startGatewayProcess(supergraph);
    fixture = await createTenant(supergraph.db.database);
  }, 60_000);
  afterAll(async () => {
    await second?.close();
    await supergraph?.close();
  });

  const on = async (origin: string, query: string, variables: Record<string, unknown> = {}, token?: string) => {
    const response = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-tenant': fixture.tenant.slug,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: Record<string, unknown> | null; errors?: unknown[] };
  };
  const signIn = async (who: keyof TestTenant['users']): Promise<Pair> => {
    const { data } = await on(supergraph.origin, LOGIN, { e: fixture.users[who].email, p: TEST_PASSWORD });
    return data!.login as Pair;
  };
  const refreshed = async (origin: string, refreshToken: string) => on(origin, REFRESH, { r: refreshToken });
  const ended = (message = 'This session has ended; sign in again') => ({
    errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }],
  });

  it('signing in gives a 15-minute access token and a 30-day refresh token', async () => {
    const before = Date.now();
    const pair = await signIn('LEARNER');
    const after = Date.now();
    // Issued (in whole seconds) between before and after: 15 minutes, and 30 days.
    expect(Date.parse(pair.expiresAt)).toBeGreaterThanOrEqual(before - 1_000 + 15 * 60_000);
    expect(Date.parse(pair.expiresAt)).toBeLessThanOrEqual(after + 15 * 60_000);
    expect(Date.parse(pair.refreshExpiresAt)).toBeGreaterThanOrEqual(before + 30 * 86_400_000);
    expect(Date.parse(pair.refreshExpiresAt)).toBeLessThanOrEqual(after + 30 * 86_400_000);
    expect(pair.refreshToken).toMatch(/^rt_[A-Za-z0-9_-]{43}$/);
    // Stored as a hash only.
    const stored = await supergraph.db.database
      .forTenant(fixture.tenant.id)
      .run((tx) => tx.refreshToken.count({ where: { tokenHash: { contains: pair.refreshToken.slice(3, 20) } } }));
    expect(stored).toBe(0);
  });

  it('refresh rotates: the new pair works, the old refresh token fails, and reusing it ends the session (the new pair too)', async () => {
    const first = await signIn('LEARNER');
    const rotated = await refreshed(supergraph.origin, first.refreshToken);
    expect(rotated.errors).toBeUndefined();
    const next = rotated.data!.refreshToken as Pair & { user: unknown };
    expect(next.user).toEqual({ name: fixture.users.LEARNER.name, persona: 'LEARNER' });
    expect(next.refreshToken).not.toBe(first.refreshToken);
    expect(next.token).not.toBe(first.token);
    for (const origin of [supergraph.origin, second.origin])
      expect(await on(origin, ME, {}, next.token)).toEqual({ data: { me: { name: fixture.users.LEARNER.name } } });

    // The old refresh token again: someone copied it. The whole session ends, on both gateways.
    expect(await refreshed(second.origin, first.refreshToken)).toEqual({
      data: null,
      errors: [
        {
          message: 'This refresh token was already used: its session has ended; sign in again',
          path: ['refreshToken'],
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ],
    });
    for (const origin of [supergraph.origin, second.origin]) {
      expect(await on(origin, ME, {}, next.token)).toMatchObject(ended());
      expect(await on(origin, ME, {}, first.token)).toMatchObject(ended());
    }
    expect(await refreshed(supergraph.origin, next.refreshToken)).toMatchObject({
      data: null,
      errors: [{ message: 'This session has ended; sign in again', extensions: { code: 'UNAUTHENTICATED' } }],
    });
    // Logged as an incident, audited with the session.
    const incident = await supergraph.db.database.forTenant(fixture.tenant.id).run((tx) =>
      tx.auditLog.findMany({
        where: { action: 'session.refresh-token-reused', actorId: fixture.users.LEARNER.id },
        select: { targetType: true, reason: true },
      }),
    );
    expect(incident).toEqual([
      { targetType: 'Session', reason: 'A refresh token was presented after it had been used: the session ended' },
    ]);
    // Other sessions of the account go on.
    const other = await signIn('LEARNER');
    expect(await on(second.origin, ME, {}, other.token)).toEqual({ data: { me: { name: fixture.users.LEARNER.name } } });
  });

  it('two refreshes with one token at once: one wins, the other is reuse and ends the session', async () => {
    const pair = await signIn('INSTRUCTOR');
    const answers = await Promise.all([refreshed(supergraph.origin, pair.refreshToken), refreshed(second.origin, pair.refreshToken)]);
    const won = answers.filter((answer) => answer.data?.refreshToken);
    expect(won).toHaveLength(1);
    const winner = (won[0]!.data!.refreshToken as Pair).token;
    expect(await on(supergraph.origin, ME, {}, winner)).toMatchObject(ended());
  });

  it('logout ends that session at once: its access token on both gateways, its refresh token, its open subscription', async () => {
    const phone = await signIn('EVALUATOR');
    const laptop = await signIn('EVALUATOR');
    for (const origin of [supergraph.origin, second.origin]) await on(origin, ME, {}, phone.token);
    const socket = subscribe(second.origin, {
      query: 'subscription { notificationReceived { id } }',
      token: phone.token,
      tenant: fixture.tenant.slug,
    });
    const laptopSocket = subscribe(second.origin, {
      query: 'subscription { notificationReceived { id } }',
      token: laptop.token,
      tenant: fixture.tenant.slug,
    });
    await Promise.all([socket.connected, laptopSocket.connected]);

    expect(await on(supergraph.origin, LOGOUT, { r: phone.refreshToken })).toEqual({ data: { logout: true } });
    expect(await socket.closed).toEqual({ code: 4403, reason: 'UNAUTHENTICATED: your session ended' });
    for (const origin of [supergraph.origin, second.origin]) expect(await on(origin, ME, {}, phone.token)).toMatchObject(ended());
    expect(await refreshed(second.origin, phone.refreshToken)).toMatchObject(ended());
    // The laptop's session goes on, socket included.
    expect(await on(second.origin, ME, {}, laptop.token)).toEqual({ data: { me: { name: fixture.users.EVALUATOR.name } } });
    const stillOpen = await Promise.race([
      laptopSocket.closed.then(() => 'closed'),
      new Promise((resolve) => setTimeout(() => resolve('open'), 500)),
    ]);
    expect(stillOpen).toBe('open');
    await laptopSocket.dispose();
    // Again, or with a token that is not ours: nothing to end.
    expect(await on(supergraph.origin, LOGOUT, { r: phone.refreshToken })).toEqual({ data: { logout: true } });
    expect(await on(supergraph.origin, LOGOUT, { r: 'rt_not-a-token' })).toEqual({ data: { logout: false } });
  });

  it('a suspended account’s refresh token stops; a refresh token of another tenant is not valid here', async () => {
    const admin = await signIn('TENANT_ADMIN');
    const learner = await signIn('LEARNER');
    const suspend = 'mutation($id: ID!) { suspendUser(id: $id, reason: "Fraude") { status } }';
    expect(await on(supergraph.origin, suspend, { id: fixture.users.LEARNER.id }, admin.token)).toEqual({
      data: { suspendUser: { status: 'SUSPENDED' } },
    });
    expect(await refreshed(second.origin, learner.refreshToken)).toMatchObject(ended());
    await on(supergraph.origin, 'mutation($id: ID!) { reactivateUser(id: $id) { status } }', { id: fixture.users.LEARNER.id }, admin.token);

    const other = await createTenant(supergraph.db.database);
    const theirs = await fetch(`${supergraph.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tenant': other.tenant.slug },
      body: JSON.stringify({ query: LOGIN, variables: { e: other.users.LEARNER.email, p: TEST_PASSWORD } }),
    }).then(async (response) => ((await response.json()) as { data: { login: Pair } }).data.login);
    expect(await refreshed(supergraph.origin, theirs.refreshToken)).toEqual({
      data: null,
      errors: [{ message: 'Invalid refresh token; sign in again', path: ['refreshToken'], extensions: { code: 'UNAUTHENTICATED' } }],
    });
    expect(await on(supergraph.origin, LOGOUT, { r: theirs.refreshToken })).toEqual({ data: { logout: false } });
  });
});
