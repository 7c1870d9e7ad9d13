import { createTenant, GATEWAY_BOUNDARY, startSubgraph, type RunningSubgraph, type TestTenant } from '@academy/testing';
import { priceOf } from '../src/pricing/pricing';

const QUOTE =
  'query($c: ID!, $code: String) { quote(courseId: $c, couponCode: $code) { subtotalCents discountCents totalCents currency } }';
const CREATE_COUPON =
  'mutation($input: CouponInput!) { createCoupon(input: $input) { id code percentOff amountOffCents redemptionCount active } }';
const ENTITIES =
  'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Order { id status totalCents } } }';

/** The commerce subgraph on its own, as the gateway calls it (no payment sandbox: checkouts of paid courses cannot reach a provider). */
describe('commerce subgraph', () => {
  let subgraph: RunningSubgraph;
  let fixture: TestTenant;
  let other: TestTenant;
  beforeAll(async () => {
    subgraph = await startSubgraph('commerce');
    [fixture, other] = await Promise.all([createTenant(subgraph.db.database), createTenant(subgraph.db.database)]);
  });
  afterAll(() => subgraph?.close());

  const as = (persona: keyof TestTenant['users'] | null, tenant = fixture) => ({
    tenant: tenant.tenant,
    viewer: persona ? tenant.users[persona] : null,
  });
  const course = (priceCents: number, tenant = fixture) =>
    subgraph.db.database.forTenant(tenant.tenant.id).run((tx) =>
      tx.course.create({
        data: {
          tenantId: tenant.tenant.id,
          slug: `curso-${priceCents}-${Math.random().toString(36).slice(2, 8)}`,
          title: 'Curso de prueba',
          description: 'Para vender',
          status: 'PUBLISHED',
          instructorId: tenant.users.INSTRUCTOR.id,
          priceCents,
          publishedAt: new Date(),
        },
      }),
    );

  it('answers only the gateway', async () => {
    expect(await subgraph.boundary(fixture.tenant)).toEqual(GATEWAY_BOUNDARY);
  });

  it('has a rule for every field', () => {
    expect(subgraph.ruleCoverage()).toEqual({ withoutRule: [], stale: [] });
  });

  it('prices in integer cents: a percentage rounds half up, a fixed amount never passes the price', () => {
    expect(priceOf({ priceCents: 999, currency: 'MXN' }, { percentOff: 10, amountOffCents: null })).toEqual({
      subtotalCents: 999,
      discountCents: 100,
      totalCents: 899,
      currency: 'MXN',
    });
    expect(priceOf({ priceCents: 5_000, currency: 'MXN' }, { percentOff: null, amountOffCents: 9_000 })).toEqual({
      subtotalCents: 5_000,
      discountCents: 5_000,
      totalCents: 0,
      currency: 'MXN',
    });
  });

  it('quotes with a coupon, codes case-insensitive; refuses what is not a coupon, every problem of a new one at once', async () => {
    const { id } = await course(180_000);
    expect(
      (await subgraph.request(CREATE_COUPON, { variables: { input: { code: 'Solar20', percentOff: 20 } }, ...as('TENANT_ADMIN') })).body,
    ).toMatchObject({
      data: { createCoupon: { code: 'Solar20', percentOff: 20, amountOffCents: null, redemptionCount: 0, active: true } },
    });
    expect((await subgraph.request(QUOTE, { variables: { c: id, code: 'SOLAR20' }, ...as('LEARNER') })).body).toEqual({
      data: { quote: { subtotalCents: 180_000, discountCents: 36_000, totalCents: 144_000, currency: 'MXN' } },
    });
    expect((await subgraph.request(QUOTE, { variables: { c: id, code: 'NADA' }, ...as('LEARNER') })).body).toEqual({
      data: null,
      errors: [
        {
          message: 'Invalid coupon',
          path: ['quote'],
          extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'couponCode', message: 'is not a coupon of this academy' }] },
        },
      ],
    });
    expect(
      (
        await subgraph.request(CREATE_COUPON, {
          variables: { input: { code: 'x', percentOff: 120, amountOffCents: 10, maxRedemptions: 0 } },
          ...as('TENANT_ADMIN'),
        })
      ).body,
    ).toEqual({
      data: null,
      errors: [
        {
          message: 'Invalid coupon',
          path: ['createCoupon'],
          extensions: {
            code: 'BAD_USER_INPUT',
            issues: [
              { field: 'code', message: 'must be 3 to 32 letters, digits, - or _' },
              { field: 'percentOff', message: 'give exactly one of percentOff and amountOffCents' },
              { field: 'percentOff', message: 'must be 1 to 100' },
              { field: 'maxRedemptions', message: 'must be at least 1' },
            ],
          },
        },
      ],
    });
    expect(
      (await subgraph.request(CREATE_COUPON, { variables: { input: { code: 'solar20', percentOff: 5 } }, ...as('TENANT_ADMIN') })).body,
    ).toMatchObject({
      errors: [{ message: 'A coupon with this code already exists', extensions: { code: 'CONFLICT' } }],
    });
    // An instructor's coupon is for their own courses; a learner makes none.
    expect(
      (await subgraph.request(CREATE_COUPON, { variables: { input: { code: 'ajeno', percentOff: 5, courseId: id } }, ...as('LEARNER') }))
        .body,
    ).toMatchObject({
      errors: [{ extensions: { code: 'FORBIDDEN' } }],
    });
  });

  it('a free checkout is PAID at once; a paid one answers UPSTREAM_UNAVAILABLE when the provider cannot be reached, and nothing stays pending', async () => {
    const free = await course(0);
    const checkout = 'mutation($c: ID!) { checkout(courseId: $c) { status totalCents paymentMethod } }';
    expect((await subgraph.request(checkout, { variables: { c: free.id }, ...as('LEARNER') })).body).toEqual({
      data: { checkout: { status: 'PAID', totalCents: 0, paymentMethod: null } },
    });
    const paid = await course(10_000);
    expect((await subgraph.request(checkout, { variables: { c: paid.id }, ...as('LEARNER') })).body).toEqual({
      data: null,
      errors: [
        { message: 'The payment provider is temporarily unavailable', path: ['checkout'], extensions: { code: 'UPSTREAM_UNAVAILABLE' } },
      ],
    });
    const orders = await subgraph.db.database
      .forTenant(fixture.tenant.id)
      .run((tx) => tx.order.findMany({ where: { courseId: paid.id }, select: { status: true, pendingSlot: true } }));
    expect(orders).toEqual([{ status: 'FAILED', pendingSlot: null }]);
  });

  it('resolves an order entity for its buyer and the admins only, never another tenant’s', async () => {
    const free = await course(0);
    const order = await subgraph.db.database.forTenant(fixture.tenant.id).run((tx) =>
      tx.order.create({
        data: {
          tenantId: fixture.tenant.id,
          buyerId: fixture.users.LEARNER.id,
          courseId: free.id,
          status: 'PAID',
          subtotalCents: 0,
          discountCents: 0,
          totalCents: 0,
          currency: 'MXN',
        },
      }),
    );
    const entities = (persona: keyof TestTenant['users'], tenant = fixture) =>
      subgraph
        .request(ENTITIES, { variables: { representations: [{ __typename: 'Order', id: order.id }] }, ...as(persona, tenant) })
        .then((r) => r.body);
    const seen = { data: { _entities: [{ id: order.id, status: 'PAID', totalCents: 0 }] } };
    expect(await entities('LEARNER')).toEqual(seen);
    expect(await entities('TENANT_ADMIN')).toEqual(seen);
    expect(await entities('INSTRUCTOR')).toEqual({ data: { _entities: [null] } });
    expect(await entities('TENANT_ADMIN', other)).toEqual({ data: { _entities: [null] } });
  });

  it('pages the tenant’s orders for admins; a cursor it did not make is BAD_USER_INPUT', async () => {
    const orders = 'query($after: String) { orders(first: 1, after: $after) { totalCount pageInfo { hasNextPage } } }';
    expect((await subgraph.request(orders, { ...as('TENANT_ADMIN', other) })).body).toEqual({
      data: { orders: { totalCount: 0, pageInfo: { hasNextPage: false } } },
    });
    const forged = Buffer.from(JSON.stringify(['no es una fecha', 'x'])).toString('base64url');
    expect((await subgraph.request(orders, { variables: { after: forged }, ...as('TENANT_ADMIN') })).body).toEqual({
      data: null,
      errors: [
        {
          message: '`after` is not a cursor this API returned',
          path: ['orders'],
          extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'after', message: 'invalid cursor' }] },
        },
      ],
    });
  });
});
