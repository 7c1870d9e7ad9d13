import { notificationReceivedChannel } from '@academy/events';
import { createHash } from 'node:crypto';
import { PERSISTED_DOCUMENTS } from '@academy/client-operations';
import {
  createTenant,
  httpRequest,
  sampleValue,
  scrape,
  startSupergraph,
  subscribe,
  TEST_PASSWORD,
  type RunningSupergraph,
  type TestTenant,
} from '@academy/testing';

const idOf = (name: string) =>
  [...PERSISTED_DOCUMENTS].find(([, document]) => new RegExp(`^(query|mutation|subscription) ${name}\\b`).test(document))![0];
const UNLISTED = '{ viewerTenant { slug name } }';
const unlisted = {
  message: 'This operation is not one of the published documents: send a persisted document by its id',
  extensions: { code: 'BAD_USER_INPUT' },
};

/** In production only the first-party clients' documents run, unless a tenant may send its own. */
describe('persisted documents in production', () => {
  let supergraph: RunningSupergraph;
  let listedOnly: TestTenant;
  let integrator: TestTenant;
  beforeAll(async () => {
    supergraph = await startSupergraph({ production: true });
    listedOnly = await createTenant(supergraph.db.database);
    integrator = await createTenant(supergraph.db.database, { settings: { arbitraryDocuments: true } });
  });
  afterAll(() => supergraph?.close());

  const post = async (tenant: TestTenant, body: Record<string, unknown>, token?: string) => {
    const response = await httpRequest(`${supergraph.origin}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-tenant': tenant.tenant.slug,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: JSON.parse(response.text) as { data?: Record<string, unknown>; errors?: unknown[] } };
  };

  it('lists every operation of the client documents, each under the sha256 of its text', () => {
    expect(PERSISTED_DOCUMENTS.size).toBe(104);
    for (const [id, document] of PERSISTED_DOCUMENTS) expect(id).toBe(`sha256:${createHash('sha256').update(document).digest('hex')}`);
  });

  it('runs a listed document sent by documentId, by APQ hash or as its text', async () => {
    const id = idOf('Viewer');
    const expected = {
      status: 200,
      body: {
        data: {
          viewerTenant: { id: listedOnly.tenant.id, slug: listedOnly.tenant.slug, name: listedOnly.tenant.name, tier: 'PROFESSIONAL' },
          me: null,
        },
      },
    };
    expect(await post(listedOnly, { documentId: id })).toEqual(expected);
    expect(await post(listedOnly, { extensions: { persistedQuery: { version: 1, sha256Hash: id.slice('sha256:'.length) } } })).toEqual(
      expected,
    );
    expect(await post(listedOnly, { query: PERSISTED_DOCUMENTS.get(id) })).toEqual(expected);
    const login = await post(listedOnly, {
      documentId: idOf('Login'),
      variables: { email: listedOnly.users.LEARNER.email, password: TEST_PASSWORD },
    });
    expect(login.body.data).toEqual({
      login: {
        token: expect.any(String),
        expiresAt: expect.any(String),
        refreshToken: expect.stringMatching(/^rt_/),
        refreshExpiresAt: expect.any(String),
        user: {
          id: listedOnly.users.LEARNER.id,
          name: listedOnly.users.LEARNER.name,
          email: listedOnly.users.LEARNER.email,
          persona: 'LEARNER',
        },
      },
    });
  });

  it('refuses any other document, before a subgraph sees it, and counts it', async () => {
    supergraph.subgraphRequests.reset();
    const before =
      sampleValue(await scrape(`${supergraph.origin}/metrics`), 'academy_gateway_rejected_operations_total', {
        reason: 'unlisted-document',
        transport: 'http',
      }) ?? 0;
    expect(await post(listedOnly, { query: UNLISTED })).toEqual({ status: 400, body: { errors: [unlisted] } });
    // Registering it as an automatic persisted query does not make it run either.
    const hash = createHash('sha256').update(UNLISTED).digest('hex');
    expect(await post(listedOnly, { query: UNLISTED, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } })).toEqual({
      status: 400,
      body: { errors: [unlisted] },
    });
    expect(await post(listedOnly, { documentId: 'sha256:0000' })).toEqual({
      status: 400,
      body: {
        errors: [{ message: 'Unknown documentId: send one of the published persisted documents', extensions: { code: 'BAD_USER_INPUT' } }],
      },
    });
    expect(supergraph.subgraphRequests.count).toBe(0);
    expect(
      sampleValue(await scrape(`${supergraph.origin}/metrics`), 'academy_gateway_rejected_operations_total', {
        reason: 'unlisted-document',
        transport: 'http',
      }),
    ).toBe(before + 3);
  });

  it("runs a tenant's own documents when its settings allow them, with automatic persisted queries", async () => {
    expect(await post(integrator, { query: UNLISTED })).toEqual({
      status: 200,
      body: { data: { viewerTenant: { slug: integrator.tenant.slug, name: integrator.tenant.name } } },
    });
    const query = '{ viewerTenant { tier } }';
    const apq = { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } };
    expect(await post(integrator, { extensions: apq })).toEqual({
      status: 200,
      body: { errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'BAD_USER_INPUT' } }] },
    });
    expect(await post(integrator, { query, extensions: apq })).toEqual({
      status: 200,
      body: { data: { viewerTenant: { tier: 'PROFESSIONAL' } } },
    });
    expect(await post(integrator, { extensions: apq })).toEqual({
      status: 200,
      body: { data: { viewerTenant: { tier: 'PROFESSIONAL' } } },
    });
    // Registered by one tenant, still not runnable by a tenant held to the published documents.
    expect(await post(listedOnly, { extensions: apq })).toEqual({ status: 400, body: { errors: [unlisted] } });
  });

  it('holds subscriptions over the websocket to the same documents', async () => {
    const token = await supergraph.login(listedOnly.users.LEARNER.email, TEST_PASSWORD, listedOnly.tenant.slug);
    const refused = subscribe(supergraph.origin, {
      query: 'subscription { certificationStatusChanged { status } }',
      token,
      tenant: listedOnly.tenant.slug,
    });
    expect(await refused.failed).toEqual([{ message: unlisted.message, extensions: { code: 'BAD_USER_INPUT' } }]);
    await refused.dispose();
    const listed = subscribe(supergraph.origin, {
      query: PERSISTED_DOCUMENTS.get(idOf('CertificationStatus'))!,
      token,
      tenant: listedOnly.tenant.slug,
    });
    await listed.connected;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await Promise.race([listed.failed, new Promise((resolve) => setTimeout(() => resolve('still subscribed'), 300))])).toBe(
      'still subscribed',
    );
    await listed.dispose();
  });

  it('delivers the apps’ NotificationReceived subscription, as persisted, in production', async () => {
    const learner = listedOnly.users.LEARNER;
    const token = await supergraph.login(learner.email, TEST_PASSWORD, listedOnly.tenant.slug);
    const live = subscribe<{ notificationReceived: { kind: string; title: string; link: string | null } }>(supergraph.origin, {
      query: PERSISTED_DOCUMENTS.get(idOf('NotificationReceived'))!,
      token,
      tenant: listedOnly.tenant.slug,
    });
    await live.connected;
    const notification = await supergraph.db.database.forTenant(listedOnly.tenant.id).run((tx) =>
      tx.notification.create({
        data: {
          tenantId: listedOnly.tenant.id,
          userId: learner.id,
          kind: 'ENROLLED',
          title: 'Te inscribiste en «Huertos»',
          body: 'Ya puedes empezar «Huertos». ¡Mucho éxito!',
          link: '/courses/x',
          sourceKey: 'test:persisted',
        },
      }),
    );
    // As the workers announce a new notification.
    await notificationReceivedChannel.publish(supergraph.redis, supergraph.redisPrefix, listedOnly.tenant.id, {
      tenantId: listedOnly.tenant.id,
      notificationId: notification.id,
      userId: learner.id,
    });
    await live.waitFor(1, 10_000);
    expect(live.events).toEqual([
      {
        data: {
          notificationReceived: {
            id: notification.id,
            kind: 'ENROLLED',
            title: 'Te inscribiste en «Huertos»',
            body: 'Ya puedes empezar «Huertos». ¡Mucho éxito!',
            link: '/courses/x',
            readAt: null,
            createdAt: notification.createdAt.toISOString(),
          },
        },
      },
    ]);
    await live.dispose();
  });
});
