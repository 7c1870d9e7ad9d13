import { asPersonaOf, createTenant, httpRequest, startSupergraph, until, type RunningSupergraph, type TestTenant } from '@academy/testing';

const CREATE = 'mutation($input: CreateCourseInput!) { createCourse(input: $input) { id } }';
const PUBLISH = 'mutation($id: ID!) { publishCourse(id: $id) { status } }';
const ORDER_FIELDS = `id status paymentMethod subtotalCents discountCents totalCents currency checkoutUrl
  oxxo { reference } coupon { code redemptionCount } enrollment { status } course { id } buyer { id } paidAt`;
const CHECKOUT = `mutation($c: ID!, $m: PaymentMethod, $code: String) { checkout(courseId: $c, paymentMethod: $m, couponCode: $code) { ${ORDER_FIELDS} } }`;
const ORDER = `query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;
const CANCEL = 'mutation($id: ID!) { cancelOrder(id: $id) { status } }';
const CREATE_COUPON = 'mutation($input: CouponInput!) { createCoupon(input: $input) { id } }';
const COUPONS = '{ coupons { code redemptionCount } }';

interface Order {
  id: string;
  status: string;
  checkoutUrl: string | null;
  oxxo: { reference: string } | null;
  enrollment: { status: string } | null;
  paidAt: string | null;
}
type As = ReturnType<typeof asPersonaOf>;

const DAY = 86_400;
const NOTHING = { checked: 0, paid: 0, failed: 0, expired: 0, unchanged: 0, errors: 0 };

/**
 * The order reconciliation (the workers' 'reconcile-orders' maintenance task): PENDING orders
 * older than the workers' `reconcile.pendingOlderThanMs` (a minute here, five in production) are
 * asked of the payment provider, so a lost webhook never leaves a payer without their course.
 * Through the gateway, the payment sandbox (its webhook faults) and the workers.
 */
describe('order reconciliation (through the gateway, the payment sandbox and the workers)', () => {
  let supergraph: RunningSupergraph;
  let fixture: TestTenant;
  let other: TestTenant;
  let as: As;
  let theirs: As;
  let maintenance: ReturnType<RunningSupergraph['queues']['events']>;

  beforeAll(async () => {
    // The workers run the reconciliation and enroll the buyer of a paid order (order.paid).
    supergraph = await startSupergraph({ isolated: true, conocer: {} });
    fixture = await createTenant(supergraph.db.database);
    other = await createTenant(supergraph.db.database);
    as = asPersonaOf(supergraph, fixture);
    theirs = asPersonaOf(supergraph, other);
    maintenance = supergraph.queues.events('maintenance');
    await maintenance.waitUntilReady();
  }, 90_000);
  afterEach(() => supergraph.payments.resetFaults());
  afterAll(async () => {
    await maintenance?.close();
    await supergraph?.close();
  });

  /**
   * What the job scheduler does every RECONCILE_EVERY_MS ('reconcile-orders' on the maintenance
   * queue, schedule: false in tests), run by the workers of this supergraph; its result.
   */
  const reconcile = async () =>
    (await supergraph.queues.maintenance.add('reconcile-orders', { task: 'reconcile-orders' })).waitUntilFinished(maintenance, 30_000);

  const paidCourse = async (priceCents: number, title: string, persona: As = as) => {
    const created = await persona<{ createCourse: { id: string } }>('INSTRUCTOR', CREATE, {
      input: {
        title,
        description: 'Un curso',
        priceCents,
        modules: [{ title: 'Módulo', lessons: [{ title: 'Lección', durationMinutes: 10 }] }],
      },
    });
    const id = created.data!.createCourse.id;
    expect(await persona('INSTRUCTOR', PUBLISH, { id })).toEqual({ data: { publishCourse: { status: 'PUBLISHED' } } });
    return id;
  };
  const checkout = async (courseId: string, variables: { m?: string; code?: string } = {}, persona: As = as) => {
    const response = await persona<{ checkout: Order }>('LEARNER', CHECKOUT, { c: courseId, ...variables });
    if (!response.data) throw new Error(JSON.stringify(response.errors));
    return response.data.checkout;
  };
  const orderNow = async (id: string, persona: As = as) => (await persona<{ order: Order }>('LEARNER', ORDER, { id })).data!.order;
  /** PAID and the workers' enrollment there, or EXPIRED/FAILED. */
  const settled = (id: string, status: string, persona: As = as) =>
    until(
      () => orderNow(id, persona),
      (order) => order.status === status && (status !== 'PAID' || order.enrollment !== null),
      { timeoutMs: 15_000 },
    );
  const tenantOf = (persona: As) => (persona === as ? fixture : other).tenant.id;
  /** The buyer at the provider's hosted page. */
  const payOnPage = async (order: Order) => {
    const response = await httpRequest(order.checkoutUrl!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: 'outcome=succeeded',
    });
    expect(response.status).toBe(200);
  };
  const sessionOf = async (orderId: string) =>
    (
      await supergraph.db.database
        .forTenant(fixture.tenant.id)
        .run((tx) => tx.order.findUniqueOrThrow({ where: { id: orderId }, select: { providerSessionId: true } }))
    ).providerSessionId!;
  /** The order was made ten minutes ago: old enough for the reconciliation. */
  const age = (orderId: string, persona: As = as) =>
    supergraph.db.database
      .forTenant(tenantOf(persona))
      .run((tx) => tx.$executeRaw`UPDATE orders SET created_at = created_at - interval '10 minutes' WHERE id = ${orderId}::uuid`);
  /** The domain events of an order (the outbox) and the buyer's enrollments of its course, as rows. */
  const effects = async (orderId: string, courseId: string, persona: As = as) => {
    const tenant = persona === as ? fixture : other;
    return supergraph.db.database.forTenant(tenant.tenant.id).run(async (tx) => ({
      events: (
        await tx.outboxEvent.findMany({ where: { aggregateId: orderId }, orderBy: { id: 'asc' }, select: { type: true, payload: true } })
      ).map((event) => ({ type: event.type, reason: (event.payload as { reason?: string | null }).reason ?? null })),
      enrollments: await tx.enrollment.findMany({
        where: { courseId, learnerId: tenant.users.LEARNER.id },
        select: { status: true },
      }),
    }));
  };

  it('webhooks lost: cards paid in two tenants stay PENDING until the reconciliation makes them PAID and the workers enroll the buyers; a second run changes nothing', async () => {
    const courseId = await paidCourse(60_000, 'Energía eólica');
    const theirCourseId = await paidCourse(45_000, 'Riego por goteo', theirs);
    const youngCourseId = await paidCourse(20_000, 'Compostaje');
    supergraph.payments.setFaults({ dropRate: 1 });
    const order = await checkout(courseId);
    const theirOrder = await checkout(theirCourseId, {}, theirs);
    await payOnPage(order);
    await payOnPage(theirOrder);
    // Another checkout, paid but too young for the reconciliation (its webhook may still come).
    const young = await checkout(youngCourseId);
    await payOnPage(young);
    await supergraph.payments.settled(15_000);
    expect(supergraph.payments.deliveries({ type: 'checkout.session.completed' }).data.map((attempt) => attempt.status)).toEqual([
      'dropped',
      'dropped',
      'dropped',
    ]);
    expect(await orderNow(order.id)).toMatchObject({ status: 'PENDING', enrollment: null, paidAt: null });
    expect(await orderNow(theirOrder.id, theirs)).toMatchObject({ status: 'PENDING', enrollment: null, paidAt: null });

    await age(order.id);
    await age(theirOrder.id, theirs);
    expect(await reconcile()).toEqual({ ...NOTHING, checked: 2, paid: 2 });
    expect(await settled(order.id, 'PAID')).toEqual({
      id: order.id,
      status: 'PAID',
      paymentMethod: 'CARD',
      subtotalCents: 60_000,
      discountCents: 0,
      totalCents: 60_000,
      currency: 'MXN',
      checkoutUrl: null,
      oxxo: null,
      coupon: null,
      enrollment: { status: 'ACTIVE' },
      course: { id: courseId },
      buyer: { id: fixture.users.LEARNER.id },
      paidAt: expect.any(String),
    });
    expect(await settled(theirOrder.id, 'PAID', theirs)).toMatchObject({ status: 'PAID', enrollment: { status: 'ACTIVE' } });
    expect(await orderNow(young.id)).toMatchObject({ status: 'PENDING' });

    // Again: nothing is stale any more, nothing changes.
    expect(await reconcile()).toEqual(NOTHING);
    expect(await effects(order.id, courseId)).toEqual({
      events: [{ type: 'order.paid', reason: null }],
      enrollments: [{ status: 'ACTIVE' }],
    });
    expect(await effects(theirOrder.id, theirCourseId, theirs)).toEqual({
      events: [{ type: 'order.paid', reason: null }],
      enrollments: [{ status: 'ACTIVE' }],
    });

    // The young one's time comes too.
    await age(young.id);
    expect(await reconcile()).toEqual({ ...NOTHING, checked: 1, paid: 1 });
    expect(await settled(young.id, 'PAID')).toMatchObject({ status: 'PAID', enrollment: { status: 'ACTIVE' } });
  });

  it('an OXXO voucher expired at the provider, its webhooks lost: the reconciliation makes it EXPIRED and gives its coupon redemption back', async () => {
    const courseId = await paidCourse(90_000, 'Huertos urbanos');
    expect(await as('TENANT_ADMIN', CREATE_COUPON, { input: { code: 'RIEGO20', percentOff: 20, courseId, maxRedemptions: 1 } })).toEqual({
      data: { createCoupon: { id: expect.any(String) } },
    });
    supergraph.payments.setFaults({ dropRate: 1 });
    const order = await checkout(courseId, { m: 'OXXO', code: 'riego20' });
    expect(order).toMatchObject({ status: 'PENDING', totalCents: 72_000, coupon: { code: 'RIEGO20', redemptionCount: 1 } });

    // Never paid at the store: past its three days the provider expires it; nobody is told.
    supergraph.payments.advanceClock(4 * DAY);
    await supergraph.payments.settled(15_000);
    expect(await orderNow(order.id)).toMatchObject({ status: 'PENDING', coupon: { redemptionCount: 1 } });

    await age(order.id);
    expect(await reconcile()).toEqual({ ...NOTHING, checked: 1, expired: 1 });
    expect(await orderNow(order.id)).toEqual({
      id: order.id,
      status: 'EXPIRED',
      paymentMethod: 'OXXO',
      subtotalCents: 90_000,
      discountCents: 18_000,
      totalCents: 72_000,
      currency: 'MXN',
      checkoutUrl: null,
      oxxo: null,
      coupon: { code: 'RIEGO20', redemptionCount: 0 },
      enrollment: null,
      course: { id: courseId },
      buyer: { id: fixture.users.LEARNER.id },
      paidAt: null,
    });
    expect(await as('TENANT_ADMIN', COUPONS)).toMatchObject({
      data: { coupons: expect.arrayContaining([{ code: 'RIEGO20', redemptionCount: 0 }]) },
    });
    expect(await effects(order.id, courseId)).toEqual({ events: [{ type: 'order.failed', reason: 'not paid in time' }], enrollments: [] });
    expect(await reconcile()).toEqual(NOTHING);
  });

  it('webhooks delayed, reversed and duplicated around the reconciliation: one order.paid and one enrollment per order', async () => {
    const cardCourseId = await paidCourse(30_000, 'Apicultura');
    const oxxoCourseId = await paidCourse(25_000, 'Cerámica');
    // Every event sent three seconds late, each batch backwards, every delivery more than once.
    supergraph.payments.setFaults({ delayMs: 3_000, reorder: 'reverse', duplicateRate: 1 });
    const card = await checkout(cardCourseId);
    const oxxo = await checkout(oxxoCourseId, { m: 'OXXO' });
    await payOnPage(card);
    // Paid at the store: checkout.session.completed and checkout.session.async_payment_succeeded.
    supergraph.payments.pay(await sessionOf(oxxo.id), 'succeeded');
    await age(card.id);
    await age(oxxo.id);
    // Before any of their webhooks arrives.
    expect(await reconcile()).toEqual({ ...NOTHING, checked: 2, paid: 2 });
    await supergraph.payments.settled(20_000);
    // Three events (the card's completed; the voucher's completed and async_payment_succeeded), each delivered more than once.
    const copies = new Map<string, number>();
    for (const attempt of supergraph.payments.deliveries().data)
      if (attempt.status === 'succeeded') copies.set(attempt.eventId, (copies.get(attempt.eventId) ?? 0) + 1);
    expect(copies.size).toBe(3);
    expect([...copies.values()].every((count) => count > 1)).toBe(true);
    expect(await settled(card.id, 'PAID')).toMatchObject({ status: 'PAID', enrollment: { status: 'ACTIVE' } });
    expect(await settled(oxxo.id, 'PAID')).toMatchObject({ status: 'PAID', enrollment: { status: 'ACTIVE' } });
    // The late webhooks came after the reconciliation had made the orders PAID, were recorded once each, and changed nothing.
    const db = supergraph.db.database.forTenant(fixture.tenant.id);
    const paidAt = new Map(
      (await db.run((tx) => tx.order.findMany({ where: { id: { in: [card.id, oxxo.id] } }, select: { id: true, paidAt: true } }))).map(
        (row) => [row.id, row.paidAt!.getTime()],
      ),
    );
    const applied = await db.run((tx) =>
      tx.paymentEvent.findMany({ where: { orderId: { in: [card.id, oxxo.id] } }, select: { orderId: true, type: true, receivedAt: true } }),
    );
    expect(applied.every((event) => event.receivedAt.getTime() > paidAt.get(event.orderId!)!)).toBe(true);
    expect(applied.map((event) => `${event.orderId === card.id ? 'card' : 'oxxo'} ${event.type}`).sort()).toEqual([
      'card checkout.session.completed',
      'oxxo checkout.session.async_payment_succeeded',
      'oxxo checkout.session.completed',
    ]);
    expect(await effects(card.id, cardCourseId)).toEqual({
      events: [{ type: 'order.paid', reason: null }],
      enrollments: [{ status: 'ACTIVE' }],
    });
    expect(await effects(oxxo.id, oxxoCourseId)).toEqual({
      events: [{ type: 'order.paid', reason: null }],
      enrollments: [{ status: 'ACTIVE' }],
    });
    expect(await reconcile()).toEqual(NOTHING);
  });

  it('an order whose checkout was never opened (the process died after creating it) is FAILED and gives its redemption back; the buyer checks out again', async () => {
    const courseId = await paidCourse(50_000, 'Biodigestores');
    const coupon = await as<{ createCoupon: { id: string } }>('TENANT_ADMIN', CREATE_COUPON, {
      input: { code: 'BIOGAS', amountOffCents: 10_000, courseId, maxRedemptions: 1 },
    });
    const couponId = coupon.data!.createCoupon.id;
    const learnerId = fixture.users.LEARNER.id;
    // What a checkout writes before it asks the provider (its redemption taken), and nothing after.
    const orderId = await supergraph.db.database.forTenant(fixture.tenant.id).run(async (tx) => {
      await tx.$executeRaw`UPDATE coupons SET redemption_count = redemption_count + 1 WHERE id = ${couponId}::uuid`;
      const created = await tx.order.create({
        data: {
          tenantId: fixture.tenant.id,
          buyerId: learnerId,
          courseId,
          status: 'PENDING',
          paymentMethod: 'CARD',
          subtotalCents: 50_000,
          discountCents: 10_000,
          totalCents: 40_000,
          currency: 'MXN',
          couponId,
          holdsRedemption: true,
          pendingSlot: `${courseId}:${learnerId}`,
          createdAt: new Date(Date.now() - 10 * 60_000),
        },
      });
      return created.id;
    });

    expect(await reconcile()).toEqual({ ...NOTHING, checked: 1, failed: 1 });
    expect(await orderNow(orderId)).toMatchObject({ status: 'FAILED', checkoutUrl: null, coupon: { code: 'BIOGAS', redemptionCount: 0 } });
    expect(await effects(orderId, courseId)).toEqual({
      events: [{ type: 'order.failed', reason: 'the checkout was never opened' }],
      enrollments: [],
    });
    const again = await checkout(courseId, { code: 'biogas' });
    expect(again).toMatchObject({ status: 'PENDING', totalCents: 40_000, coupon: { code: 'BIOGAS', redemptionCount: 1 } });
    expect(again.id).not.toBe(orderId);
    expect(again.checkoutUrl).toMatch(/\/pay\/cs_test_/);
    expect(await as('LEARNER', CANCEL, { id: again.id })).toEqual({ data: { cancelOrder: { status: 'CANCELLED' } } });
  });

  it('a provider that cannot be reached leaves the orders PENDING for the next run; one it cannot answer for does not hold up the others', async () => {
    const lostCourseId = await paidCourse(15_000, 'Costura');
    const paidCourseId = await paidCourse(15_000, 'Carpintería');
    supergraph.payments.setFaults({ dropRate: 1 });
    const lost = await checkout(lostCourseId);
    const paid = await checkout(paidCourseId);
    await payOnPage(paid);
    await supergraph.payments.settled(15_000);
    // A checkout the provider does not know (404 on every retrieve).
    await supergraph.db.database
      .forTenant(fixture.tenant.id)
      .run((tx) => tx.$executeRaw`UPDATE orders SET provider_session_id = 'cs_test_unknown_to_the_provider' WHERE id = ${lost.id}::uuid`);
    await age(lost.id);
    await age(paid.id);

    // The provider down (every API request 503, the SDK's retries too): nothing changes, the job still ends.
    supergraph.payments.setFaults({ errorRate: 1 });
    expect(await reconcile()).toEqual({ ...NOTHING, checked: 2, errors: 2 });
    expect(await orderNow(paid.id)).toMatchObject({ status: 'PENDING' });
    supergraph.payments.setFaults({ errorRate: 0 });

    expect(await reconcile()).toEqual({ ...NOTHING, checked: 2, paid: 1, errors: 1 });
    expect(await settled(paid.id, 'PAID')).toMatchObject({ status: 'PAID', enrollment: { status: 'ACTIVE' } });
    expect(await orderNow(lost.id)).toMatchObject({ status: 'PENDING' });
    // Asked about at every run until it leaves PENDING.
    expect(await reconcile()).toEqual({ ...NOTHING, checked: 1, errors: 1 });
    expect(await as('LEARNER', CANCEL, { id: lost.id })).toEqual({ data: { cancelOrder: { status: 'CANCELLED' } } });
    expect(await reconcile()).toEqual(NOTHING);
  });
});
