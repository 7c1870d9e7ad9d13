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
