import { hashPassword } from '@academy/platform';
import {
  asPersonaOf,
  createTenant,
  httpRequest,
  startSupergraph,
  startTestMailbox,
  subscribe,
  TEST_PASSWORD,
  until,
  type RunningSupergraph,
  type TestMailbox,
  type TestTenant,
} from '@academy/testing';

const CREATE = 'mutation($input: CreateCourseInput!) { createCourse(input: $input) { id } }';
const PUBLISH = 'mutation($id: ID!) { publishCourse(id: $id) { status } }';
const ENROLL = 'mutation($c: ID!) { enroll(courseId: $c) { id status } }';
const QUOTE = `query($c: ID!, $code: String) { quote(courseId: $c, couponCode: $code) {
  course { id title } subtotalCents discountCents totalCents currency coupon { code percentOff amountOffCents } } }`;
const ORDER_FIELDS = `id status paymentMethod subtotalCents discountCents totalCents currency checkoutUrl
  oxxo { reference expiresAt hostedVoucherUrl } spei { clabe reference bankName expiresAt }
  coupon { code redemptionCount } enrollment { id status } course { id } buyer { id } paidAt`;
const CHECKOUT = `mutation($c: ID!, $m: PaymentMethod, $code: String) { checkout(courseId: $c, paymentMethod: $m, couponCode: $code) { ${ORDER_FIELDS} } }`;
const ORDER = `query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;
const CANCEL = 'mutation($id: ID!) { cancelOrder(id: $id) { status checkoutUrl } }';
const CREATE_COUPON = `mutation($input: CouponInput!) { createCoupon(input: $input) {
  id code percentOff amountOffCents course { id } validUntil maxRedemptions redemptionCount active } }`;
const MY_ORDERS = '{ me { orders { id status } } }';

interface Order {
  id: string;
  status: string;
  checkoutUrl: string | null;
  oxxo: { reference: string; expiresAt: string; hostedVoucherUrl: string } | null;
  spei: { clabe: string; reference: string; bankName: string; expiresAt: string } | null;
  totalCents: number;
  enrollment: { id: string; status: string } | null;
  coupon: { code: string; redemptionCount: number } | null;
}

const DAY = 86_400;

/** Paid courses: quotes, coupons, checkouts paid through the payment sandbox (Stripe's API and webhooks), enrollment on payment. */
describe('commerce (through the gateway and the payment sandbox)', () => {
  let supergraph: RunningSupergraph;
  let mailbox: TestMailbox;
  let fixture: TestTenant;
  let other: TestTenant;
  let as: ReturnType<typeof asPersonaOf>;

  beforeAll(async () => {
    // The workers enroll the buyer of a paid order (order.paid). Every part runs in this one process
    // (gateway, subgraphs, sandbox): the race of 100 checkouts is about exact counts, not speed
    // (npm run bench), so subgraph requests get a deadline that a busy machine cannot miss.
    mailbox = await startTestMailbox();
    supergraph = await startSupergraph({
      isolated: true,
      conocer: {},
      mail: { smtpUrl: mailbox.smtpUrl, backoffMs: 100 },
      subgraphFetch: { timeoutMs: 30_000 },
    });
    fixture = await createTenant(supergraph.db.database);
    other = await createTenant(supergraph.db.database);
    as = asPersonaOf(supergraph, fixture);
  }, 90_000);
  afterAll(async () => {
    await supergraph?.close();
    await mailbox?.stop();
  });

  const paidCourse = async (priceCents = 180_000, title = 'Instalación fotovoltaica') => {
    const created = await as<{ createCourse: { id: string } }>('INSTRUCTOR', CREATE, {
      input: {
        title,
        description: 'Sistemas solares',
        priceCents,
        modules: [{ title: 'Módulo', lessons: [{ title: 'Lección', durationMinutes: 10 }] }],
      },
    });
    const id = created.data!.createCourse.id;
    expect(await as('INSTRUCTOR', PUBLISH, { id })).toEqual({ data: { publishCourse: { status: 'PUBLISHED' } } });
    return id;
  };
  /** The buyer at the provider's hosted page: Pay or Decline (the form's POST). */
  const pay = async (order: Order, outcome: 'succeeded' | 'declined') => {
    const response = await httpRequest(order.checkoutUrl!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: `outcome=${outcome}`,
    });
    expect(response.status).toBe(200);
  };
  const orderNow = async (id: string, persona: 'LEARNER' | 'TENANT_ADMIN' = 'LEARNER') =>
    (await as<{ order: Order }>(persona, ORDER, { id })).data!.order;
  const settled = (id: string, status: string) =>
    until(
      () => orderNow(id),
      (order) => order.status === status && (status !== 'PAID' || order.enrollment !== null),
      { timeoutMs: 15_000 },
    );

  it('a paid course: enroll answers PAYMENT_REQUIRED; card checkout, paid on the hosted page, enrolls the buyer', async () => {
    const courseId = await paidCourse();
    expect(await as('LEARNER', ENROLL, { c: courseId })).toEqual({
      data: null,
      errors: [{ message: 'This course is paid: check out first', path: ['enroll'], extensions: { code: 'PAYMENT_REQUIRED' } }],
    });
    expect(await as('LEARNER', QUOTE, { c: courseId })).toEqual({
      data: {
        quote: {
          course: { id: courseId, title: 'Instalación fotovoltaica' },
          subtotalCents: 180_000,
          discountCents: 0,
          totalCents: 180_000,
          currency: 'MXN',
          coupon: null,
        },
      },
    });
    const order = (await as<{ checkout: Order }>('LEARNER', CHECKOUT, { c: courseId })).data!.checkout;
    expect(order).toMatchObject({ status: 'PENDING', totalCents: 180_000, oxxo: null, spei: null, enrollment: null });
    expect(order.checkoutUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/pay\/cs_test_/);
    // Checking out again with the same method returns the same order: never two charges.
    expect((await as<{ checkout: Order }>('LEARNER', CHECKOUT, { c: courseId })).data!.checkout.id).toBe(order.id);

    await pay(order, 'succeeded');
    const paid = await settled(order.id, 'PAID');
    expect(paid).toMatchObject({ status: 'PAID', checkoutUrl: null, enrollment: { status: 'ACTIVE' } });
    expect(await as('LEARNER', ENROLL, { c: courseId })).toMatchObject({ errors: [{ extensions: { code: 'CONFLICT' } }] });
    expect(await as('LEARNER', MY_ORDERS)).toMatchObject({ data: { me: { orders: [{ id: order.id, status: 'PAID' }] } } });
    // The buyer is told (order.paid -> ORDER_PAID).
    const told = await until(
      async () =>
        (
          await as<{ me: { notifications: { edges: { node: { kind: string } }[] } } }>(
            'LEARNER',
            '{ me { notifications { edges { node { kind } } } } }',
          )
        ).data,
      (data) => data?.me.notifications.edges.some((edge) => edge.node.kind === 'ORDER_PAID') ?? false,
      { timeoutMs: 10_000 },
    );
    expect(told?.me.notifications.edges.map((edge) => edge.node.kind)).toContain('ORDER_PAID');
    // ... and by email.
    const emails = await until(
      () => mailbox.emailsTo(fixture.users.LEARNER.email),
      (received) => received.some((email) => email.subject === 'Recibimos tu pago'),
      { timeoutMs: 15_000 },
    );
    expect(emails.map((email) => email.subject)).toContain('Recibimos tu pago');
  });

  it('a declined card fails the order and enrolls nobody; checking out again starts afresh', async () => {
    const courseId = await paidCourse(50_000, 'Biodigestores');
    const order = (await as<{ checkout: Order }>('LEARNER', CHECKOUT, { c: courseId })).data!.checkout;
    await pay(order, 'declined');
    const failed = await settled(order.id, 'FAILED');
    expect(failed).toMatchObject({ status: 'FAILED', checkoutUrl: null, enrollment: null });
    const again = (await as<{ checkout: Order }>('LEARNER', CHECKOUT, { c: courseId })).data!.checkout;
    expect(again.id).not.toBe(order.id);
    expect(again.status).toBe('PENDING');
  });

  it('OXXO: a voucher; paid two days later it enrolls; unpaid past its days it expires and gives the coupon back', async () => {
    const courseId = await paidCourse(90_000, 'Huertos urbanos');
    const coupon = await as<{ createCoupon: { id: string } }>('TENANT_ADMIN', CREATE_COUPON, {
      input: { code: 'huerto10', percentOff: 10, courseId, maxRedemptions: 1 },
    });
    expect(coupon.errors).toBeUndefined();
    const order = (await as<{ checkout: Order }>('LEARNER', CHECKOUT, { c: courseId, m: 'OXXO', code: 'HUERTO10' })).data!.checkout;
    expect(order).toMatchObject({
      status: 'PENDING',
      totalCents: 81_000,
      checkoutUrl: null,
      coupon: { code: 'huerto10', redemptionCount: 1 },
    });
    expect(order.oxxo!.reference).toMatch(/^\d{14,18}$/);
    expect(new Date(order.oxxo!.expiresAt).getTime()).toBeGreaterThan(Date.now() + 2 * DAY * 1000);
    // The one redemption is held: nobody else gets it.
    expect(await as('EVALUATOR', QUOTE, { c: courseId, code: 'huerto10' })).toMatchObject({
      errors: [{ extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'couponCode', message: 'has no redemptions left' }] } }],
    });

    // Unpaid past its three days: EXPIRED, the redemption given back.
    supergraph.payments.advanceClock(4 * DAY);
    const expired = await settled(order.id, 'EXPIRED');
    expect(expired).toMatchObject({ status: 'EXPIRED', oxxo: null, coupon: { code: 'huerto10', redemptionCount: 0 } });

    // Again, paid at the store two days later.
    const second = (await as<{ checkout: Order }>('LEARNER', CHECKOUT, { c: courseId, m: 'OXXO', code: 'huerto10' })).data!.checkout;
    supergraph.payments.advanceClock(2 * DAY);
    const sessionId = (
      await supergraph.db.database.forTenant(fixture.tenant.id).run((tx) => tx.order.findUniqueOrThrow({ where: { id: second.id } }))
    ).providerSessionId!;
    supergraph.payments.pay(sessionId, 'succeeded');
    expect(await settled(second.id, 'PAID')).toMatchObject({
      status: 'PAID',
      enrollment: { status: 'ACTIVE' },
      coupon: { redemptionCount: 1 },
    });
  });

  it('SPEI: transfer instructions; the buyer may cancel while pending', async () => {
    const courseId = await paidCourse(120_000, 'Captación pluvial');
    const speiCheckout = await as<{ checkout: Order }>('LEARNER', CHECKOUT, { c: courseId, m: 'SPEI' });
    if (!speiCheckout.data) throw new Error(JSON.stringify(speiCheckout));
    const order = speiCheckout.data.checkout;
    expect(order.spei!.clabe).toMatch(/^\d{18}$/);
    expect(order.spei!.bankName.length).toBeGreaterThan(0);
    expect(await as('TENANT_ADMIN', CANCEL, { id: order.id })).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN' } }] });
    expect(await as('LEARNER', CANCEL, { id: order.id })).toEqual({ data: { cancelOrder: { status: 'CANCELLED', checkoutUrl: null } } });
    expect(await as('LEARNER', CANCEL, { id: order.id })).toMatchObject({ errors: [{ extensions: { code: 'CONFLICT' } }] });
  });

  it('a 100 % coupon is PAID at once; a free course needs no order', async () => {
    const courseId = await paidCourse(30_000, 'Compostaje');
    await as('INSTRUCTOR', CREATE_COUPON, { input: { code: 'REGALO', percentOff: 100, courseId } });
    const order = (await as<{ checkout: Order }>('LEARNER', CHECKOUT, { c: courseId, code: 'regalo' })).data!.checkout;
    expect(order).toMatchObject({ status: 'PAID', totalCents: 0, checkoutUrl: null });
    expect(await settled(order.id, 'PAID')).toMatchObject({ enrollment: { status: 'ACTIVE' } });
  });

  it('the same webhook five times, and once with a bad signature: one effect; the bad one refused with 400', async () => {
    const courseId = await paidCourse(70_000, 'Apicultura');
    supergraph.payments.setFaults({ duplicateRate: 1 });
    try {
      const order = (await as<{ checkout: Order }>('LEARNER', CHECKOUT, { c: courseId })).data!.checkout;
      await pay(order, 'succeeded');
      expect(await settled(order.id, 'PAID')).toMatchObject({ status: 'PAID' });
      await supergraph.payments.settled(15_000);
      const applied = await supergraph.db.database
        .forTenant(fixture.tenant.id)
        .run((tx) => tx.paymentEvent.findMany({ where: { orderId: order.id }, select: { type: true } }));
      expect(applied.map((event) => event.type).sort()).toEqual(['checkout.session.completed']);
      const paidEvents = await supergraph.db.database
        .forTenant(fixture.tenant.id)
        .run((tx) => tx.outboxEvent.count({ where: { aggregateId: order.id, type: 'order.paid' } }));
      expect(paidEvents).toBe(1);
    } finally {
      supergraph.payments.resetFaults();
    }
    const forged = await httpRequest(`${supergraph.origin}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' },
      body: JSON.stringify({ id: 'evt_forged', type: 'checkout.session.completed', data: { object: {} } }),
    });
    expect({ status: forged.status, body: JSON.parse(forged.text) }).toEqual({ status: 400, body: { error: 'invalid signature' } });
  });

  it('100 learners racing for a coupon of 50 redemptions: exactly 50 discounted orders', async () => {
    const courseId = await paidCourse(40_000, 'Electrónica básica');
    await as('TENANT_ADMIN', CREATE_COUPON, { input: { code: 'MITAD', percentOff: 50, maxRedemptions: 50 } });
    const passwordHash = await hashPassword(TEST_PASSWORD);
    const learners = await supergraph.db.database.forTenant(fixture.tenant.id).run((tx) =>
      Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          tx.user.create({
            data: { tenantId: fixture.tenant.id, email: `racer${i}@${fixture.tenant.slug}.test`, name: `Racer ${i}`, passwordHash },
          }),
        ),
      ),
    );
    // Signed in ten at a time (password hashing is the costly part), then all at the checkout at once.
    const tokens: string[] = [];
    for (let i = 0; i < learners.length; i += 10)
      tokens.push(
        ...(await Promise.all(
          learners.slice(i, i + 10).map((learner) => supergraph.login(learner.email, TEST_PASSWORD, fixture.tenant.slug)),
        )),
      );
    const results = await Promise.all(
      tokens.map((token) =>
        supergraph.request<{ checkout: Order }>(CHECKOUT, {
          tenant: fixture.tenant.slug,
          token,
          variables: { c: courseId, code: 'mitad' },
        }),
      ),
    );
    const outcome = (result: (typeof results)[number]) => {
      if (result.body.data?.checkout) return `total ${result.body.data.checkout.totalCents}`;
      const error = (result.body.errors as unknown as { extensions: { code: string; issues?: { message: string }[] } }[])[0]!;
      return `${error.extensions.code}${error.extensions.issues ? `: ${error.extensions.issues[0]!.message}` : ''}`;
    };
    const counts: Record<string, number> = {};
    for (const result of results) counts[outcome(result)] = (counts[outcome(result)] ?? 0) + 1;
    expect(counts).toEqual({ 'total 20000': 50, 'BAD_USER_INPUT: has no redemptions left': 50 });
    expect(await as('TENANT_ADMIN', '{ coupons { code redemptionCount maxRedemptions } }')).toMatchObject({
      data: { coupons: expect.arrayContaining([{ code: 'MITAD', redemptionCount: 50, maxRedemptions: 50 }]) },
    });
  }, 60_000);

  it('orders are their buyer’s and the admins’; another tenant sees none of them', async () => {
    const courseId = await paidCourse(10_000, 'Costura');
    const order = (await as<{ checkout: Order }>('LEARNER', CHECKOUT, { c: courseId })).data!.checkout;
    expect((await orderNow(order.id, 'TENANT_ADMIN')).id).toBe(order.id);
    expect(await as('EVALUATOR', ORDER, { id: order.id })).toMatchObject({ data: { order: null } });
    const theirs = asPersonaOf(supergraph, other);
    expect(await theirs('TENANT_ADMIN', ORDER, { id: order.id })).toEqual({ data: { order: null } });
    expect(await theirs('LEARNER', CHECKOUT, { c: courseId })).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
    expect(await theirs('TENANT_ADMIN', '{ orders { totalCount } }')).toEqual({ data: { orders: { totalCount: 0 } } });
  });

  it('the buyer follows the order live: PENDING, then PAID once the payment arrives', async () => {
    const courseId = await paidCourse(60_000, 'Panadería artesanal');
    const order = (await as<{ checkout: Order }>('LEARNER', CHECKOUT, { c: courseId, m: 'OXXO' })).data!.checkout;
    const token = await supergraph.login(fixture.users.LEARNER.email, TEST_PASSWORD, fixture.tenant.slug);
    const query = 'subscription($id: ID!) { orderStatusChanged(orderId: $id) { id status totalCents course { title } } }';
    const live = subscribe<{ orderStatusChanged: { id: string; status: string } }>(supergraph.origin, {
      query,
      variables: { id: order.id },
      token,
      tenant: fixture.tenant.slug,
    });
    // Someone else's order: nothing arrives for them.
    const staffToken = await supergraph.login(fixture.users.TENANT_ADMIN.email, TEST_PASSWORD, fixture.tenant.slug);
    const other = subscribe(supergraph.origin, { query, variables: { id: order.id }, token: staffToken, tenant: fixture.tenant.slug });
    try {
      await Promise.all([live.connected, other.connected]);
      const sessionId = (
        await supergraph.db.database.forTenant(fixture.tenant.id).run((tx) => tx.order.findUniqueOrThrow({ where: { id: order.id } }))
      ).providerSessionId!;
      supergraph.payments.pay(sessionId, 'succeeded');
      await live.waitFor(1, 15_000);
      expect(live.events).toEqual([
        { data: { orderStatusChanged: { id: order.id, status: 'PAID', totalCents: 60_000, course: { title: 'Panadería artesanal' } } } },
      ]);
      expect(other.events).toEqual([]);
    } finally {
      await live.dispose();
      await other.dispose();
    }
  });

  it('the buyer’s order screen catches up after the gateway lost its connection to Redis: the order as it is now, if it changed', async () => {
    const courseId = await paidCourse(40_000, 'Herrería');
    const order = (await as<{ checkout: Order }>('LEARNER', CHECKOUT, { c: courseId })).data!.checkout;
    const token = await supergraph.login(fixture.users.LEARNER.email, TEST_PASSWORD, fixture.tenant.slug);
    const live = subscribe<{ orderStatusChanged: { id: string; status: string } }>(supergraph.origin, {
      query: 'subscription($id: ID!) { orderStatusChanged(orderId: $id) { id status } }',
      variables: { id: order.id },
      token,
      tenant: fixture.tenant.slug,
    });
    const db = supergraph.db.database.forTenant(fixture.tenant.id);
    try {
      await live.connected;
      await pay(order, 'succeeded');
      await live.waitFor(1, 15_000);
      // A change whose publication never reached this gateway (as one published while its Redis
      // connection was down): written without its outbox event.
      await db.run((tx) => tx.order.update({ where: { id: order.id }, data: { status: 'REFUNDED' } }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(live.events).toHaveLength(1);
      // The connection drops and comes back: the order as it is now, once.
      supergraph.gatewaySubscriber.disconnect(true);
      await live.waitFor(2, 15_000);
      // Dropped again with nothing changed: nothing more.
      supergraph.gatewaySubscriber.disconnect(true);
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      expect(live.events).toEqual([
        { data: { orderStatusChanged: { id: order.id, status: 'PAID' } } },
        { data: { orderStatusChanged: { id: order.id, status: 'REFUNDED' } } },
      ]);
    } finally {
      await live.dispose();
    }
  }, 60_000);

  it('a refund (TENANT_ADMIN): the payment back once, the enrollment cancelled, audited, revenue down', async () => {
    const courseId = await paidCourse(80_000, 'Carpintería');
    const order = (await as<{ checkout: Order }>('LEARNER', CHECKOUT, { c: courseId })).data!.checkout;
    await pay(order, 'succeeded');
    await settled(order.id, 'PAID');
    const revenue = async () =>
      (
        await as<{ course: { analytics: { revenueCents: number } } }>(
          'INSTRUCTOR',
          'query($id: ID!) { course(id: $id) { analytics { revenueCents } } }',
          { id: courseId },
        )
      ).data!.course.analytics.revenueCents;
    expect(await revenue()).toBe(80_000);
    const REFUND =
      'mutation($id: ID!, $reason: String!) { refundOrder(id: $id, reason: $reason) { status refundedAt refundReason enrollment { id } } }';
    expect(await as('LEARNER', REFUND, { id: order.id, reason: 'no me gustó' })).toMatchObject({
      errors: [{ extensions: { code: 'FORBIDDEN' } }],
    });
    expect(await as('TENANT_ADMIN', REFUND, { id: order.id, reason: '  ' })).toMatchObject({
      errors: [{ extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'reason', message: 'must be 1 to 500 characters' }] } }],
    });
    // Two admins at once: one refund at the provider, one REFUNDED order, one audit row.
    const [first, second] = await Promise.all([
      as<{ refundOrder: { status: string; refundReason: string } }>('TENANT_ADMIN', REFUND, { id: order.id, reason: 'Curso cancelado' }),
      as<{ refundOrder: { status: string; refundReason: string } }>('PLATFORM_ADMIN', REFUND, { id: order.id, reason: 'Curso cancelado' }),
    ]);
    expect([first.data?.refundOrder, second.data?.refundOrder]).toEqual([
      expect.objectContaining({ status: 'REFUNDED', refundReason: 'Curso cancelado' }),
      expect.objectContaining({ status: 'REFUNDED', refundReason: 'Curso cancelado' }),
    ]);
    const refunds = await httpRequest(`${supergraph.paymentsUrl}/v1/events?type=refund.created&limit=100`, {
      headers: { authorization: 'Bearer sk_test_academy_sandbox' },
    });
    const row = await supergraph.db.database
      .forTenant(fixture.tenant.id)
      .run((tx) => tx.order.findUniqueOrThrow({ where: { id: order.id } }));
    const listed = (JSON.parse(refunds.text) as { data: { data: { object: { id: string; payment_intent: string } } }[] }).data
      .map((event) => event.data.object)
      .filter((refund) => refund.payment_intent === row.providerPaymentId);
    expect(listed.map((refund) => refund.id)).toEqual([row.providerRefundId]);
    const audits = await supergraph.db.database
      .forTenant(fixture.tenant.id)
      .run((tx) => tx.auditLog.findMany({ where: { action: 'order.refunded', targetId: order.id }, select: { reason: true } }));
    expect(audits).toEqual([{ reason: 'Curso cancelado' }]);
    // The workers cancel the enrollment; the revenue drops the order; refunding again changes nothing.
    const enrollment = await until(
      () =>
        supergraph.db.database
          .forTenant(fixture.tenant.id)
          .run((tx) => tx.enrollment.findFirst({ where: { courseId, learnerId: fixture.users.LEARNER.id } })),
      (found) => found?.status === 'CANCELLED',
      { timeoutMs: 10_000 },
    );
    expect(enrollment?.status).toBe('CANCELLED');
    expect(await revenue()).toBe(0);
    expect(await as('TENANT_ADMIN', REFUND, { id: order.id, reason: 'otra vez' })).toMatchObject({
      data: { refundOrder: { status: 'REFUNDED', refundReason: 'Curso cancelado' } },
    });
    // A pending order is not refunded.
    const pending = (await as<{ checkout: Order }>('LEARNER', CHECKOUT, { c: await paidCourse(20_000, 'Costura fina') })).data!.checkout;
    expect(await as('TENANT_ADMIN', REFUND, { id: pending.id, reason: 'nada' })).toMatchObject({
      errors: [{ extensions: { code: 'CONFLICT' } }],
    });
  });
});
