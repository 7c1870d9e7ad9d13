import { createTenantWithEveryKindOfRow, startSubgraph, type RunningSubgraph, type TestTenant } from '@academy/testing';

const DAY = 86_400_000;
const ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) {
  ... on TenantAnalytics { certificatesIssued }
} }`;

/** The certifications subgraph's part of the courses subgraph's TenantAnalytics, resolved by its key. */
describe('tenant analytics: certificates issued', () => {
  let subgraph: RunningSubgraph;
  let fixture: TestTenant;
  let other: TestTenant;
  beforeAll(async () => {
    subgraph = await startSubgraph('certifications');
    [fixture, other] = await Promise.all([
      createTenantWithEveryKindOfRow(subgraph.db.database),
      createTenantWithEveryKindOfRow(subgraph.db.database),
    ]);
  });
  afterAll(() => subgraph?.close());

  const key = (tenant: TestTenant, from: number | string, to: number | string) => ({
    __typename: 'TenantAnalytics',
    tenantId: tenant.tenant.id,
    from: typeof from === 'number' ? new Date(from).toISOString() : from,
    to: typeof to === 'number' ? new Date(to).toISOString() : to,
  });
  const asAdmin = (tenant: TestTenant) => ({ tenant: tenant.tenant, viewer: tenant.users.TENANT_ADMIN });

  it("counts the request's tenant's certificates issued (not revoked) in [from, to)", async () => {
    const now = Date.now();
    const representations = [key(fixture, now - DAY, now + DAY), key(fixture, 0, now - DAY), key(fixture, now + DAY, now + 2 * DAY)];
    expect((await subgraph.request(ENTITIES, { variables: { representations }, ...asAdmin(fixture) })).body).toEqual({
      data: { _entities: [{ certificatesIssued: 1 }, { certificatesIssued: 0 }, { certificatesIssued: 0 }] },
    });
  });

  it('resolves nothing for a key naming another tenant, or a range that is not one', async () => {
    const now = Date.now();
    const representations = [key(fixture, 0, now + DAY), key(other, 'yesterday', now)];
    expect((await subgraph.request(ENTITIES, { variables: { representations }, ...asAdmin(other) })).body).toEqual({
      data: { _entities: [null, null] },
    });
  });

  it("is its admins' only", async () => {
    const representations = [key(fixture, 0, Date.now() + DAY)];
    for (const persona of ['LEARNER', 'INSTRUCTOR', 'EVALUATOR'] as const)
      expect(
        (await subgraph.request(ENTITIES, { variables: { representations }, tenant: fixture.tenant, viewer: fixture.users[persona] })).body,
      ).toEqual({
        data: { _entities: [null] },
        errors: [{ message: 'Not allowed', path: ['_entities', 0, 'certificatesIssued'], extensions: { code: 'FORBIDDEN' } }],
      });
  });
});
