import { createTenant, GATEWAY_BOUNDARY, startSubgraph, type RunningSubgraph, type TestTenant } from '@academy/testing';

/** The notifications subgraph on its own, as the gateway calls it: the boundary, the rules, one's own notifications only. */
describe('notifications subgraph', () => {
  let subgraph: RunningSubgraph;
  let fixture: TestTenant;
  let notificationId: string;
  beforeAll(async () => {
    subgraph = await startSubgraph('notifications');
    fixture = await createTenant(subgraph.db.database);
    const created = await subgraph.db.database.forTenant(fixture.tenant.id).run((tx) =>
      tx.notification.create({
        data: {
          tenantId: fixture.tenant.id,
          userId: fixture.users.LEARNER.id,
          kind: 'ENROLLED',
          title: 'Hola',
          body: 'Prueba',
          sourceKey: 'test:1',
        },
      }),
    );
    notificationId = created.id;
  });
  afterAll(() => subgraph?.close());

  const as = (persona: 'LEARNER' | 'TENANT_ADMIN') => ({ id: fixture.users[persona].id, tenantId: fixture.tenant.id, persona });

  it('answers only the gateway, and has a rule for every field', async () => {
    expect(await subgraph.boundary(fixture.tenant)).toEqual(GATEWAY_BOUNDARY);
    expect(subgraph.ruleCoverage()).toEqual({ withoutRule: [], stale: [] });
  });

  it('resolves Notification entities for their recipient only', async () => {
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Notification { kind title } } }';
    const variables = { r: [{ __typename: 'Notification', id: notificationId }] };
    expect((await subgraph.request(query, { tenant: fixture.tenant, viewer: as('LEARNER'), variables })).body).toEqual({
      data: { _entities: [{ kind: 'ENROLLED', title: 'Hola' }] },
    });
  });

  it('resolves a notification for its recipient only (staff included: nobody reads another person’s)', async () => {
    const query = 'query($id: ID!) { notificationEvent(id: $id) { kind title readAt } }';
    expect(
      (await subgraph.request(query, { tenant: fixture.tenant, viewer: as('LEARNER'), variables: { id: notificationId } })).body,
    ).toEqual({
      data: { notificationEvent: { kind: 'ENROLLED', title: 'Hola', readAt: null } },
    });
    expect(
      (await subgraph.request(query, { tenant: fixture.tenant, viewer: as('TENANT_ADMIN'), variables: { id: notificationId } })).body,
    ).toEqual({
      data: { notificationEvent: null },
    });
  });

  it('pages newest first with cursors, counts the unread, filters unreadOnly; a bad cursor is the client’s error', async () => {
    const user = fixture.users.INSTRUCTOR;
    const db = subgraph.db.database.forTenant(fixture.tenant.id);
    const made = await db.run(async (tx) => {
      const rows = [];
      for (const [index, readAt] of [null, new Date('2026-11-01T00:00:00Z'), null].entries())
        rows.push(
          await tx.notification.create({
            data: {
              tenantId: fixture.tenant.id,
              userId: user.id,
              kind: 'REVIEW_RECEIVED',
              title: `Reseña ${index}`,
              body: '…',
              sourceKey: `test:page:${index}`,
              readAt,
              createdAt: new Date(Date.UTC(2026, 10, 1 + index)),
            },
          }),
        );
      return rows;
    });
    const viewer = { id: user.id, tenantId: fixture.tenant.id, persona: 'INSTRUCTOR' as const };
    const page = (args: string) =>
      subgraph.request<{
        _entities: {
          notifications: { edges: { cursor: string; node: { title: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
        }[];
      }>(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { notifications(${args}) { totalCount unreadCount edges { cursor node { title } } pageInfo { hasNextPage endCursor } } } } }`,
        { tenant: fixture.tenant, viewer, variables: { r: [{ __typename: 'User', id: user.id }] } },
      );
    const first = await page('first: 2');
    expect(first.body).toEqual({
      data: {
        _entities: [
          {
            notifications: {
              totalCount: 3,
              unreadCount: 2,
              edges: [
                { cursor: expect.any(String), node: { title: 'Reseña 2' } },
                { cursor: expect.any(String), node: { title: 'Reseña 1' } },
              ],
              pageInfo: { hasNextPage: true, endCursor: expect.any(String) },
            },
          },
        ],
      },
    });
    const after = first.body.data!._entities[0]!.notifications.pageInfo.endCursor;
    const second = await page(`first: 2, after: "${after}"`);
    expect(second.body.data!._entities[0]!.notifications).toEqual({
      totalCount: 3,
      unreadCount: 2,
      edges: [{ cursor: expect.any(String), node: { title: 'Reseña 0' } }],
      pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
    });
    const unread = await page('unreadOnly: true');
    expect(unread.body.data!._entities[0]!.notifications.edges.map((edge) => edge.node.title)).toEqual(['Reseña 2', 'Reseña 0']);
    expect((await page('after: "garbage"')).body).toEqual({
      data: { _entities: [null] },
      errors: [
        {
          message: '`after` is not a cursor this API returned',
          path: ['_entities', 0, 'notifications'],
          extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'after', message: 'invalid cursor' }] },
        },
      ],
    });
    // Another person's inbox: refused, whoever asks.
    const admin = await subgraph.request(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { notifications { totalCount } } } }',
      { tenant: fixture.tenant, viewer: as('TENANT_ADMIN'), variables: { r: [{ __typename: 'User', id: user.id }] } },
    );
    expect(admin.body).toEqual({
      data: { _entities: [null] },
      errors: [
        { message: 'Only the person sees their notifications', path: ['_entities', 0, 'notifications'], extensions: { code: 'FORBIDDEN' } },
      ],
    });
    expect(made).toHaveLength(3);
  });

  it('never reaches across tenants: another tenant’s notification is not found, not marked', async () => {
    const other = await createTenant(subgraph.db.database);
    const viewer = { id: other.users.LEARNER.id, tenantId: other.tenant.id, persona: 'LEARNER' as const };
    expect(
      (
        await subgraph.request('query($id: ID!) { notificationEvent(id: $id) { id } }', {
          tenant: other.tenant,
          viewer,
          variables: { id: notificationId },
        })
      ).body,
    ).toEqual({ data: { notificationEvent: null } });
    expect(
      (
        await subgraph.request('mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }', {
          tenant: other.tenant,
          viewer,
          variables: { ids: [notificationId, 'garbage'] },
        })
      ).body,
    ).toEqual({ data: { markNotificationsRead: 0 } });
  });

  it('marks read and keeps preferences, the viewer’s own', async () => {
    const marked = await subgraph.request('mutation { markNotificationsRead }', { tenant: fixture.tenant, viewer: as('LEARNER') });
    expect(marked.body).toEqual({ data: { markNotificationsRead: 1 } });
    const again = await subgraph.request('mutation { markNotificationsRead }', { tenant: fixture.tenant, viewer: as('LEARNER') });
    expect(again.body).toEqual({ data: { markNotificationsRead: 0 } });
    const prefs = await subgraph.request('mutation { updateNotificationPreferences(input: { email: false }) { email emailKinds } }', {
      tenant: fixture.tenant,
      viewer: as('LEARNER'),
    });
    expect(prefs.body).toEqual({
      data: {
        updateNotificationPreferences: {
          email: false,
          emailKinds: [
            'ENROLLED',
            'CERTIFICATE_ISSUED',
            'CERTIFICATE_REVOKED',
            'CONOCER_STATUS',
            'ORDER_PAID',
            'ORDER_FAILED',
            'ORDER_REFUNDED',
            'EVIDENCE_REVIEWED',
            'EVALUATION_DECIDED',
            'INVITATION',
            'PASSWORD_RESET',
            'IMPACT_VERIFIED',
          ],
        },
      },
    });
  });
});
