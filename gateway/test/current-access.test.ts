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

const CREATE_COURSE = 'mutation($input: CreateCourseInput!) { createCourse(input: $input) { title } }';
const COURSE = {
  title: 'Compostaje doméstico',
  description: 'De residuos a tierra fértil',
  priceCents: 0,
  modules: [{ title: 'Bases', lessons: [{ title: 'El ciclo del carbono', durationMinutes: 10 }] }],
};
const SET_PERSONA = 'mutation($id: ID!, $persona: Persona!) { setUserPersona(userId: $id, persona: $persona) { persona } }';
const SUSPEND = 'mutation($id: ID!, $reason: String!) { suspendUser(id: $id, reason: $reason) { status } }';
const REACTIVATE = 'mutation($id: ID!) { reactivateUser(id: $id) { status } }';
const ME = '{ me { name persona } }';

/**
 * Authorization follows the account as it is now, not as its token was issued: a demotion, a
 * promotion or a suspension applies to the next request, on every gateway, and to open sockets.
 */
describe('access from the current state of the account (two gateways)', () => {
  let supergraph: RunningSupergraph;
  let second: GatewayProcess;
  let fixture: TestTenant;
  let admin: string;

  beforeAll(async () => {
    supergraph = await startSupergraph({ isolated: true });
    second = await startGatewayProcess(supergraph);
    fixture = await createTenant(supergraph.db.database);
    admin = await supergraph.login(fixture.users.TENANT_ADMIN.email, TEST_PASSWORD, fixture.tenant.slug);
  }, 60_000);
  afterAll(async () => {
    await second?.close();
    await supergraph?.close();
  });

  const on = async (origin: string, query: string, token: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tenant': fixture.tenant.slug, authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: unknown; errors?: unknown[] };
  };
  const asAdmin = (query: string, variables: Record<string, unknown>) => on(supergraph.origin, query, admin, variables);

  it('a demoted instructor’s very next request cannot create a course; a promoted learner’s can, with the tokens they had', async () => {
    const instructor = await supergraph.login(fixture.users.INSTRUCTOR.email, TEST_PASSWORD, fixture.tenant.slug);
    const learner = await supergraph.login(fixture.users.LEARNER.email, TEST_PASSWORD, fixture.tenant.slug);
    // Both gateways have seen both (their copies are warm).
    for (const origin of [supergraph.origin, second.origin]) {
      expect(await on(origin, ME, instructor)).toEqual({ data: { me: { name: fixture.users.INSTRUCTOR.name, persona: 'INSTRUCTOR' } } });
      expect(await on(origin, ME, learner)).toEqual({ data: { me: { name: fixture.users.LEARNER.name, persona: 'LEARNER' } } });
    }
    expect(await asAdmin(SET_PERSONA, { id: fixture.users.INSTRUCTOR.id, persona: 'LEARNER' })).toEqual({
      data: { setUserPersona: { persona: 'LEARNER' } },
    });
    expect(await asAdmin(SET_PERSONA, { id: fixture.users.LEARNER.id, persona: 'INSTRUCTOR' })).toEqual({
      data: { setUserPersona: { persona: 'INSTRUCTOR' } },
    });
    for (const origin of [second.origin, supergraph.origin]) {
      expect(await on(origin, CREATE_COURSE, instructor, { input: COURSE })).toEqual({
        data: null,
        errors: [{ message: 'Not allowed', path: ['createCourse'], extensions: { code: 'FORBIDDEN' } }],
      });
      expect(await on(origin, CREATE_COURSE, learner, { input: COURSE })).toEqual({ data: { createCourse: { title: COURSE.title } } });
    }
    // Back as they were, audited both ways.
    await asAdmin(SET_PERSONA, { id: fixture.users.INSTRUCTOR.id, persona: 'INSTRUCTOR' });
    await asAdmin(SET_PERSONA, { id: fixture.users.LEARNER.id, persona: 'LEARNER' });
    const audit = await supergraph.db.database.forTenant(fixture.tenant.id).run((tx) =>
      tx.auditLog.findMany({
        where: { tenantId: fixture.tenant.id, action: 'user.persona-changed', targetId: fixture.users.INSTRUCTOR.id },
        select: { actorId: true, metadata: true },
        orderBy: { id: 'asc' },
      }),
    );
    expect(audit).toEqual([
      { actorId: fixture.users.TENANT_ADMIN.id, metadata: { from: 'INSTRUCTOR', to: 'LEARNER' } },
      { actorId: fixture.users.TENANT_ADMIN.id, metadata: { from: 'LEARNER', to: 'INSTRUCTOR' } },
    ]);
  }, 60_000);

  it('a suspended account stops at once: its token and its open subscriptions, on both gateways; reactivated, it signs in again', async () => {
    const evaluator = fixture.users.EVALUATOR;
    const token = await supergraph.login(evaluator.email, TEST_PASSWORD, fixture.tenant.slug);
    const sockets = [supergraph.origin, second.origin].map((origin) =>
      subscribe(origin, { query: 'subscription { notificationReceived { id } }', token, tenant: fixture.tenant.slug }),
    );
    await Promise.all(sockets.map((socket) => socket.connected));
    expect(await asAdmin(SUSPEND, { id: evaluator.id, reason: 'Revisión de conducta' })).toEqual({
      data: { suspendUser: { status: 'SUSPENDED' } },
    });
    const closed = await Promise.all(sockets.map((socket) => socket.closed));
    expect(closed).toEqual([
      { code: 4403, reason: 'FORBIDDEN: your access changed; connect again' },
      { code: 4403, reason: 'FORBIDDEN: your access changed; connect again' },
    ]);
    const suspended = { data: null, errors: [{ message: 'This account is suspended', extensions: { code: 'UNAUTHENTICATED' } }] };
    for (const origin of [supergraph.origin, second.origin])
      expect(await on(origin, ME, token)).toMatchObject({ errors: suspended.errors });
    // Nor can it sign in again, or connect a socket.
    const login = await supergraph.request('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', {
      tenant: fixture.tenant.slug,
      variables: { e: evaluator.email, p: TEST_PASSWORD },
    });
    expect(login.body).toEqual({
      data: null,
      errors: [{ message: 'Invalid email or password', path: ['login'], extensions: { code: 'UNAUTHENTICATED' } }],
    });
    const refused = subscribe(second.origin, { query: 'subscription { notificationReceived { id } }', token, tenant: fixture.tenant.slug });
    expect(await refused.closed).toEqual({ code: 4401, reason: 'UNAUTHENTICATED: This account is suspended' });
    // The reason is kept with who did it.
    const audit = await supergraph.db.database
      .forTenant(fixture.tenant.id)
      .run((tx) =>
        tx.auditLog.findFirst({ where: { action: 'user.suspended', targetId: evaluator.id }, select: { actorId: true, reason: true } }),
      );
    expect(audit).toEqual({ actorId: fixture.users.TENANT_ADMIN.id, reason: 'Revisión de conducta' });

    // Reactivated, the account signs in again: the sessions it had ended with the suspension.
    expect(await asAdmin(REACTIVATE, { id: evaluator.id })).toEqual({ data: { reactivateUser: { status: 'ACTIVE' } } });
    for (const origin of [supergraph.origin, second.origin])
      expect(await on(origin, ME, token)).toMatchObject({
        errors: [{ message: 'This session has ended; sign in again', extensions: { code: 'UNAUTHENTICATED' } }],
      });
    const again = await supergraph.login(evaluator.email, TEST_PASSWORD, fixture.tenant.slug);
    for (const origin of [supergraph.origin, second.origin])
      expect(await on(origin, ME, again)).toEqual({ data: { me: { name: evaluator.name, persona: 'EVALUATOR' } } });
  }, 60_000);

  it('refuses what an admin may not do: suspending oneself, a learner suspending anyone, an empty reason', async () => {
    expect(await asAdmin(SUSPEND, { id: fixture.users.TENANT_ADMIN.id, reason: 'x' })).toEqual({
      data: null,
      errors: [{ message: 'Nobody suspends their own account', path: ['suspendUser'], extensions: { code: 'FORBIDDEN' } }],
    });
    expect(await asAdmin(SUSPEND, { id: fixture.users.LEARNER.id, reason: '  ' })).toEqual({
      data: null,
      errors: [
        {
          message: 'Say why (1 to 500 characters)',
          path: ['suspendUser'],
          extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'reason', message: 'must be 1 to 500 characters' }] },
        },
      ],
    });
    const learner = await supergraph.login(fixture.users.LEARNER.email, TEST_PASSWORD, fixture.tenant.slug);
    expect(await on(supergraph.origin, SUSPEND, learner, { id: fixture.users.INSTRUCTOR.id, reason: 'x' })).toEqual({
      data: null,
      errors: [{ message: 'Not allowed', path: ['suspendUser'], extensions: { code: 'FORBIDDEN' } }],
    });
    // Another tenant's account does not exist here.
    const other = await createTenant(supergraph.db.database);
    expect(await asAdmin(REACTIVATE, { id: other.users.LEARNER.id })).toEqual({
      data: null,
      errors: [{ message: 'User not found', path: ['reactivateUser'], extensions: { code: 'NOT_FOUND' } }],
    });
  });
});
