import {
  createTenant,
  createTenantWithEveryKindOfRow,
  startGatewayProcess,
  startSupergraph,
  startTestMailbox,
  subscribe,
  TEST_PASSWORD,
  until,
  type GatewayProcess,
  type RunningSupergraph,
  type TestMailbox,
  type TestTenant,
} from '@academy/testing';
import { userInvited } from '@academy/events';

const CREATE =
  'mutation($input: CreateTenantInput!) { createTenant(input: $input) { slug name tier status userCount branding { displayName } } }';
const SUSPEND = 'mutation($id: ID!, $reason: String!) { suspendTenant(id: $id, reason: $reason) { slug status } }';
const REACTIVATE = 'mutation($id: ID!) { reactivateTenant(id: $id) { slug status } }';
const TENANTS =
  'query($status: TenantStatus, $first: Int, $after: String) { tenants(status: $status, first: $first, after: $after) { totalCount edges { node { slug status userCount } } pageInfo { hasNextPage endCursor } } }';
const VERIFY = 'query($code: String!) { verifyCertificate(code: $code) { valid tenantName } }';
const ME = '{ me { name } }';
const SUSPENDED = {
  errors: [{ message: 'This academy is suspended; its certificates can still be verified', extensions: { code: 'TENANT_SUSPENDED' } }],
};

/** The platform admin's tenants: created with an invited admin, listed, suspended and reactivated. */
describe('tenants (platform admin; two gateways, the workers and MailDev)', () => {
  let supergraph: RunningSupergraph;
  let second: GatewayProcess;
  let mailbox: TestMailbox;
  let home: TestTenant;
  let platformAdmin: string;

  beforeAll(async () => {
    mailbox = await startTestMailbox();
    supergraph = await startSupergraph({ isolated: true, mail: { smtpUrl: mailbox.smtpUrl } });
    second = await startGatewayProcess(supergraph);
    home = await createTenant(supergraph.db.database);
    platformAdmin = await supergraph.login(home.users.PLATFORM_ADMIN.email, TEST_PASSWORD, home.tenant.slug);
  }, 60_000);
  afterAll(async () => {
    await second?.close();
    await supergraph?.close();
    await mailbox?.stop();
  });

  const on = async (origin: string, tenant: string, query: string, variables: Record<string, unknown> = {}, token?: string) => {
    const response = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tenant': tenant, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown> | null; errors?: unknown[] } };
  };
  const asPlatform = async (query: string, variables: Record<string, unknown>) =>
    (await on(supergraph.origin, home.tenant.slug, query, variables, platformAdmin)).body;

  it('creates a tenant whose first admin is invited by email, accepts, and runs it', async () => {
    const slug = `coop-${Date.now().toString(36)}`;
    const input = { slug, name: 'Cooperativa Tierra Viva', tier: 'COMMUNITY', adminEmail: `Admin@${slug}.mx`, adminName: 'Rosa Méndez' };
    expect(await asPlatform(CREATE, { input })).toEqual({
      data: {
        createTenant: {
          slug,
          name: 'Cooperativa Tierra Viva',
          tier: 'COMMUNITY',
          status: 'ACTIVE',
          userCount: 1,
          branding: { displayName: 'Cooperativa Tierra Viva' },
        },
      },
    });
    const [invitation] = await until(
      () => mailbox.emailsTo(`admin@${slug}.mx`),
      (found) => found.length > 0,
      { timeoutMs: 20_000, everyMs: 100 },
    );
    const token = new RegExp(`https://${slug}\\.academy\\.test/accept-invitation\\?token=([A-Za-z0-9_-]+)`).exec(invitation!.text)?.[1];
    expect(token).toBeDefined();
    const accepted = await on(
      second.origin,
      slug,
      'mutation($t: String!, $p: String!) { acceptInvitation(token: $t, password: $p) { token user { name persona status } } }',
      { t: token, p: 'contraseña-de-rosa-2026' },
    );
    expect(accepted.body).toEqual({
      data: { acceptInvitation: { token: expect.any(String), user: { name: 'Rosa Méndez', persona: 'TENANT_ADMIN', status: 'ACTIVE' } } },
    });
    const adminToken = (accepted.body.data!.acceptInvitation as { token: string }).token;
    expect((await on(supergraph.origin, slug, '{ viewerTenant { slug name } }', {}, adminToken)).body).toEqual({
      data: { viewerTenant: { slug, name: 'Cooperativa Tierra Viva' } },
    });
    // Audited as the platform admin's.
    const audit = await supergraph.db.database.asPlatform({ actorId: 'system:test', action: 'test.read', reason: 'test' }, (tx) =>
      tx.auditLog.findFirst({ where: { action: 'tenant.created', reason: `Created ${slug}` }, select: { actorId: true } }),
    );
    expect(audit).toEqual({ actorId: home.users.PLATFORM_ADMIN.id });

    // The same slug again, or a taken one in other letters: CONFLICT.
    expect(await asPlatform(CREATE, { input: { ...input, slug: slug.toUpperCase() } })).toEqual({
      data: null,
      errors: [{ message: `The slug "${slug}" is taken`, path: ['createTenant'], extensions: { code: 'CONFLICT' } }],
    });
  }, 60_000);

  it('refuses slugs that are malformed or reserved, and anyone but a platform admin', async () => {
    const input = { name: 'X', tier: 'COMMUNITY', adminEmail: 'a@b.mx', adminName: 'A' };
    const invalid = (message: string) => ({
      data: null,
      errors: [
        {
          message: 'Invalid tenant',
          path: ['createTenant'],
          extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'slug', message }] },
        },
      ],
    });
    const malformed = 'must be 3 to 40 of a-z, 0-9 and single inner hyphens';
    for (const slug of ['ab', '-coop', 'coop-', 'co--op', 'coöp', 'a'.repeat(41), 'coop.mx'])
      expect(await asPlatform(CREATE, { input: { ...input, slug } })).toEqual(invalid(malformed));
    for (const slug of ['www', 'api', 'admin', 'conocer'])
      expect(await asPlatform(CREATE, { input: { ...input, slug } })).toEqual(invalid('is reserved'));
    const tenantAdmin = await supergraph.login(home.users.TENANT_ADMIN.email, TEST_PASSWORD, home.tenant.slug);
    for (const [query, variables] of [
      [CREATE, { input: { ...input, slug: 'valid-slug' } }],
      [TENANTS, {}],
      [SUSPEND, { id: home.tenant.id, reason: 'x' }],
    ] as const) {
      const { body } = await on(supergraph.origin, home.tenant.slug, query, variables, tenantAdmin);
      expect(body.errors).toEqual([expect.objectContaining({ message: 'Not allowed', extensions: { code: 'FORBIDDEN' } })]);
    }
  });

  it('lists tenants with their account counts, by status, a page at a time', async () => {
    const other = await createTenant(supergraph.db.database);
    const { data } = await asPlatform(TENANTS, { first: 100 });
    const listed = (data!.tenants as { edges: { node: { slug: string; status: string; userCount: number } }[] }).edges.map(
      (edge) => edge.node,
    );
    expect(listed).toEqual(
      expect.arrayContaining([
        { slug: home.tenant.slug, status: 'ACTIVE', userCount: 5 },
        { slug: other.tenant.slug, status: 'ACTIVE', userCount: 5 },
      ]),
    );
    const firstPage = (await asPlatform(TENANTS, { first: 1 })).data!.tenants as {
      totalCount: number;
      edges: { node: { slug: string } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string };
    };
    expect(firstPage.totalCount).toBe(listed.length);
    expect(firstPage.pageInfo.hasNextPage).toBe(true);
    const next = (await asPlatform(TENANTS, { first: 1, after: firstPage.pageInfo.endCursor })).data!.tenants as {
      edges: { node: { slug: string } }[];
    };
    expect(next.edges[0]!.node.slug).toBe(listed[1]!.slug);
  });

  it('a suspended tenant answers TENANT_SUSPENDED on every gateway, its sockets close, its jobs wait; its certificates still verify', async () => {
    const academy = await createTenantWithEveryKindOfRow(supergraph.db.database);
    const slug = academy.tenant.slug;
    const learner = await supergraph.login(academy.users.LEARNER.email, TEST_PASSWORD, slug);
    const socket = subscribe(second.origin, { query: 'subscription { notificationReceived { id } }', token: learner, tenant: slug });
    await socket.connected;
    const code = await supergraph.db.database
      .forTenant(academy.tenant.id)
      .run((tx) => tx.certificate.findFirstOrThrow({ select: { verificationCode: true } }));

    expect(await asPlatform(SUSPEND, { id: academy.tenant.id, reason: 'Adeudo de facturación' })).toEqual({
      data: { suspendTenant: { slug, status: 'SUSPENDED' } },
    });
    expect(await socket.closed).toEqual({ code: 4403, reason: 'FORBIDDEN: your academy changed; connect again' });
    for (const origin of [supergraph.origin, second.origin]) {
      expect(await on(origin, slug, ME, {}, learner)).toEqual({ status: 403, body: SUSPENDED });
      expect((await on(origin, slug, '{ courses { totalCount } }')).body).toEqual(SUSPENDED);
      const login = await on(origin, slug, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', {
        e: academy.users.TENANT_ADMIN.email,
        p: TEST_PASSWORD,
      });
      expect(login.body).toEqual(SUSPENDED);
      expect((await on(origin, slug, VERIFY, { code: code.verificationCode })).body).toEqual({
        data: { verifyCertificate: { valid: true, tenantName: academy.tenant.name } },
      });
    }
    const refused = subscribe(supergraph.origin, { query: 'subscription { notificationReceived { id } }', token: learner, tenant: slug });
    expect(await refused.closed).toEqual({
      code: 4403,
      reason: 'TENANT_SUSPENDED: This academy is suspended; its certificates can still be verified',
    });

    // Work of the tenant's that was under way (here: an invitation's event, written as inviteUser
    // writes it) waits, unsent, until the reactivation.
    const invited = `espera-${Date.now().toString(36)}@example.mx`;
    await supergraph.db.database.forTenant(academy.tenant.id).run(async (tx) => {
      const user = await tx.user.create({
        data: { tenantId: academy.tenant.id, email: invited, name: 'Espera', passwordHash: 'x', persona: 'LEARNER', status: 'INVITED' },
      });
      await userInvited.write(tx, {
        tenantId: academy.tenant.id,
        aggregateId: user.id,
        payload: {
          userId: user.id,
          invitedBy: null,
          link: '/accept-invitation?token=espera',
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        },
      });
    });
    const notification = await until(
      () =>
        supergraph.db.database
          .forTenant(academy.tenant.id)
          .run((tx) => tx.emailDelivery.findFirst({ where: { notification: { user: { email: invited } } }, select: { status: true } })),
      (found) => found !== null,
      { timeoutMs: 20_000, everyMs: 100 },
    );
    expect(notification).toEqual({ status: 'PENDING' });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await mailbox.emailsTo(invited)).toEqual([]);

    expect(await asPlatform(REACTIVATE, { id: academy.tenant.id })).toEqual({ data: { reactivateTenant: { slug, status: 'ACTIVE' } } });
    for (const origin of [supergraph.origin, second.origin])
      expect((await on(origin, slug, ME, {}, learner)).body).toEqual({ data: { me: { name: academy.users.LEARNER.name } } });
    const [email] = await until(
      () => mailbox.emailsTo(invited),
      (found) => found.length > 0,
      { timeoutMs: 20_000, everyMs: 100 },
    );
    expect(email!.text).toContain('/accept-invitation?token=');
    // Audited with the reason.
    const audit = await supergraph.db.database.asPlatform({ actorId: 'system:test', action: 'test.read', reason: 'test' }, (tx) =>
      tx.auditLog.findMany({
        where: { targetId: academy.tenant.id, action: { in: ['tenant.suspended', 'tenant.reactivated'] } },
        select: { action: true, actorId: true, reason: true },
        orderBy: { id: 'asc' },
      }),
    );
    expect(audit).toEqual([
      { action: 'tenant.suspended', actorId: home.users.PLATFORM_ADMIN.id, reason: 'Adeudo de facturación' },
      { action: 'tenant.reactivated', actorId: home.users.PLATFORM_ADMIN.id, reason: 'Reactivated' },
    ]);
  }, 90_000);

  it('an unknown tenant id is NOT_FOUND; an empty reason is refused', async () => {
    expect(await asPlatform(SUSPEND, { id: '00000000-0000-4000-8000-000000000000', reason: 'x' })).toEqual({
      data: null,
      errors: [{ message: 'Tenant not found', path: ['suspendTenant'], extensions: { code: 'NOT_FOUND' } }],
    });
    expect(await asPlatform(SUSPEND, { id: 'nope', reason: 'x' })).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
    expect(await asPlatform(SUSPEND, { id: home.tenant.id, reason: ' ' })).toMatchObject({
      errors: [{ message: 'Say why (1 to 500 characters)', extensions: { code: 'BAD_USER_INPUT' } }],
    });
  });
});
