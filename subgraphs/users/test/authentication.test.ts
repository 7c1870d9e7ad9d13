import { verifyPassword, type User } from '@academy/platform';
import {
  createTenant,
  startSubgraph,
  TEST_AUDIENCE,
  TEST_PASSWORD,
  testEnvironment,
  TEST_ISSUER,
  type RunningSubgraph,
  type TestTenant,
} from '@academy/testing';
import { jwksOf, loadSigningKey, TokenVerifier } from '@academy/tokens';

/** signUp and login at the users subgraph: what they create, the tokens they issue, what they refuse. */
describe('users subgraph: authentication', () => {
  let subgraph: RunningSubgraph;
  let fixture: TestTenant;
  let other: TestTenant;
  let verifier: TokenVerifier;
  beforeAll(async () => {
    subgraph = await startSubgraph('users');
    [fixture, other] = await Promise.all([createTenant(subgraph.db.database), createTenant(subgraph.db.database)]);
    verifier = new TokenVerifier(jwksOf([await loadSigningKey(testEnvironment().TEST_AUTH_SIGNING_KEY)]), {
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
    });
  });
  afterAll(() => subgraph?.close());

  /** expiresAt is the whole second of issue plus the test issuer's TTL (900 s, as in production), issued between `before` and now. */
  const expectIssuedFor900s = (expiresAt: string, before: number) => {
    const seconds = Date.parse(expiresAt) / 1000;
    expect(seconds).toBeGreaterThanOrEqual(Math.floor(before / 1000) + 900);
    expect(seconds).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 900);
  };

  describe('signUp', () => {
    const SIGN_UP =
      'mutation ($input: SignUpInput!) { signUp(input: $input) { token expiresAt user { id email name persona tenant { id } } } }';
    type SignedUp = { signUp: { token: string; expiresAt: string; user: { id: string } } };

    it('creates a LEARNER of the request tenant (email normalized, name trimmed) and signs them in', async () => {
      const own = await createTenant(subgraph.db.database);
      const before = Date.now();
      const response = await subgraph.request<SignedUp>(SIGN_UP, {
        variables: { input: { email: '  Nueva.Persona@Example.TEST ', password: 'una contraseña larga', name: '  Nueva Persona ' } },
        tenant: own.tenant,
      });
      expect(response.body).toEqual({
        data: {
          signUp: {
            token: expect.any(String),
            expiresAt: expect.any(String),
            user: {
              id: expect.any(String),
              email: 'nueva.persona@example.test',
              name: 'Nueva Persona',
              persona: 'LEARNER',
              tenant: { id: own.tenant.id },
            },
          },
        },
      });
      const { token, expiresAt, user } = response.body.data!.signUp;
      expect(await verifier.verify(token)).toEqual({
        userId: user.id,
        tenantId: own.tenant.id,
        persona: 'LEARNER',
        sessionId: expect.any(String),
      });
      expectIssuedFor900s(expiresAt, before);
      const stored = await subgraph.db.database.forTenant(own.tenant.id).run((tx) => tx.user.findUniqueOrThrow({ where: { id: user.id } }));
      expect(stored).toMatchObject({
        tenantId: own.tenant.id,
        email: 'nueva.persona@example.test',
        name: 'Nueva Persona',
        persona: 'LEARNER',
        curp: null,
        failedLoginAttempts: 0,
      });
      expect(stored.passwordHash).not.toContain('una contraseña larga');
      expect(await verifyPassword(stored.passwordHash, 'una contraseña larga')).toBe(true);
    });

    it('answers CONFLICT for an email the tenant already has (in any case), and lets another tenant have it', async () => {
      const taken = fixture.users.INSTRUCTOR.email;
      const signUp = (tenant: TestTenant) =>
        subgraph.request(SIGN_UP, {
          variables: { input: { email: taken.toUpperCase(), password: 'otra contraseña larga', name: 'Copia' } },
          tenant: tenant.tenant,
        });
      expect((await signUp(fixture)).body).toEqual({
        data: null,
        errors: [{ message: 'An account with this email already exists', path: ['signUp'], extensions: { code: 'CONFLICT' } }],
      });
      expect((await signUp(other)).body).toEqual({
        data: {
          signUp: {
            token: expect.any(String),
            expiresAt: expect.any(String),
            user: { id: expect.any(String), email: taken, name: 'Copia', persona: 'LEARNER', tenant: { id: other.tenant.id } },
          },
        },
      });
      expect(await subgraph.db.database.forTenant(fixture.tenant.id).run((tx) => tx.user.count({ where: { email: taken } }))).toBe(1);
    });

    it('refuses a bad email, a short or long password and an empty or long name, every issue at once', async () => {
      const signUp = (input: Record<string, string>) => subgraph.request(SIGN_UP, { variables: { input }, tenant: fixture.tenant });
      const invalid = (issues: { field: string; message: string }[]) => ({
        data: null,
        errors: [{ message: 'Invalid sign-up', path: ['signUp'], extensions: { code: 'BAD_USER_INPUT', issues } }],
      });
      expect((await signUp({ email: 'no es un correo', password: 'corta', name: '   ' })).body).toEqual(
        invalid([
          { field: 'email', message: 'must be an email address' },
          { field: 'password', message: 'must be at least 10 characters' },
          { field: 'name', message: 'must be 1 to 120 characters' },
        ]),
      );
      expect((await signUp({ email: `${'a'.repeat(250)}@x.test`, password: 'x'.repeat(257), name: 'n'.repeat(121) })).body).toEqual(
        invalid([
          { field: 'email', message: 'must be an email address' },
          { field: 'password', message: 'must be at most 256 characters' },
          { field: 'name', message: 'must be 1 to 120 characters' },
        ]),
      );
      expect(await subgraph.db.database.forTenant(fixture.tenant.id).run((tx) => tx.user.count())).toBe(5);
    });
  });

  describe('login', () => {
    const LOGIN =
      'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token expiresAt user { id email persona } } }';
    const wrong = {
      data: null,
      errors: [{ message: 'Invalid email or password', path: ['login'], extensions: { code: 'UNAUTHENTICATED' } }],
    };
    const signedIn = (user: User) => ({
      data: {
        login: {
          token: expect.any(String),
          expiresAt: expect.any(String),
          user: { id: user.id, email: user.email, persona: user.persona },
        },
      },
    });
    const stateOf = (tenant: TestTenant, id: string) =>
      subgraph.db.database
        .forTenant(tenant.tenant.id)
        .run((tx) => tx.user.findUniqueOrThrow({ where: { id }, select: { failedLoginAttempts: true, lastLoginAt: true } }));

    it('signs a user of the request tenant in (any case, spaces around), with a token of their persona, and records the login', async () => {
      const evaluator = fixture.users.EVALUATOR;
      const before = Date.now();
      const response = await subgraph.request<{ login: { token: string; expiresAt: string } }>(LOGIN, {
        variables: { email: ` ${evaluator.email.toUpperCase()} `, password: TEST_PASSWORD },
        tenant: fixture.tenant,
      });
      expect(response.body).toEqual(signedIn(evaluator));
      const { token, expiresAt } = response.body.data!.login;
      expect(await verifier.verify(token)).toEqual({
        userId: evaluator.id,
        tenantId: fixture.tenant.id,
        persona: 'EVALUATOR',
        sessionId: expect.any(String),
      });
      expectIssuedFor900s(expiresAt, before);
      expect(await stateOf(fixture, evaluator.id)).toEqual({ failedLoginAttempts: 0, lastLoginAt: expect.any(Date) });
    });

    it("answers the same UNAUTHENTICATED for a wrong password, an unknown email and another tenant's user", async () => {
      const login = (email: string, password: string) =>
        subgraph.request(LOGIN, { variables: { email, password }, tenant: fixture.tenant });
      expect((await login(fixture.users.LEARNER.email, 'wrong password')).body).toEqual(wrong);
      expect((await login(`nadie@${fixture.tenant.slug}.test`, TEST_PASSWORD)).body).toEqual(wrong);
      expect((await login('not an email', TEST_PASSWORD)).body).toEqual(wrong);
      expect((await login(other.users.LEARNER.email, TEST_PASSWORD)).body).toEqual(wrong);
      expect(await stateOf(fixture, fixture.users.LEARNER.id)).toEqual({ failedLoginAttempts: 1, lastLoginAt: null });
      expect(await stateOf(other, other.users.LEARNER.id)).toEqual({ failedLoginAttempts: 0, lastLoginAt: null });
    });

    it('after 5 wrong passwords from one address, makes that address wait (1 s, then doubling) for that account only; the owner elsewhere signs in', async () => {
      const own = await createTenant(subgraph.db.database);
      const from = (clientAddress: string) => (password: string) =>
        subgraph.request(LOGIN, { variables: { email: own.users.INSTRUCTOR.email, password }, tenant: own.tenant, clientAddress });
      const attacker = from('203.0.113.7');
      const owner = from('198.51.100.20');
      for (let attempt = 1; attempt <= 3; attempt += 1)
        expect({ attempt, body: (await attacker('wrong password')).body }).toEqual({ attempt, body: wrong });
      // A successful login from that address starts its count again.
      expect((await attacker(TEST_PASSWORD)).body).toEqual(signedIn(own.users.INSTRUCTOR));
      expect(await stateOf(own, own.users.INSTRUCTOR.id)).toEqual({ failedLoginAttempts: 0, lastLoginAt: expect.any(Date) });
      for (let attempt = 1; attempt <= 5; attempt += 1)
        expect({ attempt, body: (await attacker('wrong password')).body }).toEqual({ attempt, body: wrong });
      const waiting = {
        data: null,
        errors: [{ message: 'Too many requests; retry after 1 s', path: ['login'], extensions: { code: 'RATE_LIMITED', retryAfter: 1 } }],
      };
      // The right password too must wait, from that address.
      expect((await attacker(TEST_PASSWORD)).body).toEqual(waiting);
      // The owner, from another address, is not held up; nor is another account from the attacker's.
      expect((await owner(TEST_PASSWORD)).body).toEqual(signedIn(own.users.INSTRUCTOR));
      expect(
        (
          await subgraph.request(LOGIN, {
            variables: { email: own.users.LEARNER.email, password: TEST_PASSWORD },
            tenant: own.tenant,
            clientAddress: '203.0.113.7',
          })
        ).body,
      ).toEqual(signedIn(own.users.LEARNER));
      // After the wait, one more wrong password doubles it.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const sent = Date.now();
      expect((await attacker('wrong password')).body).toEqual(wrong);
      const doubled = (await attacker('wrong password')).body as { errors?: { extensions?: { retryAfter?: number } }[] };
      const took = Date.now() - sent;
      const retryAfter = doubled.errors?.[0]?.extensions?.retryAfter;
      expect(doubled).toEqual({
        data: null,
        errors: [
          { message: `Too many requests; retry after ${retryAfter} s`, path: ['login'], extensions: { code: 'RATE_LIMITED', retryAfter } },
        ],
      });
      // 2 s from the wrong password, less what its answer took: on a busy machine (over a second) it may say 1.
      expect({ took: took < 1_000 ? 'under 1 s' : 'slow', retryAfter }).toEqual(
        took < 1_000 ? { took: 'under 1 s', retryAfter: 2 } : { took: 'slow', retryAfter: expect.any(Number) },
      );
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(2);
    });
  });
});
