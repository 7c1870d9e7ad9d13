// The payment sandbox through Stripe's official SDK (unchanged, over HTTP) and the sandbox's
// admin client; webhooks land on a local server and are verified with the SDK.
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Stripe from 'stripe';
import {
  DEFAULT_PAYMENT_SANDBOX_OPTIONS,
  PaymentSandbox,
  PaymentSandboxClient,
  PaymentSandboxError,
  type Charge,
  type CheckoutSession,
  type PaymentIntent,
  type PaymentMethod,
  type PaymentSandboxInit,
  type Refund,
  type StripeEvent,
} from '../src';

const SECRET_KEY = 'sk_test_academy_sandbox';
const WEBHOOK_SECRET = 'whsec_test_receiver';
const METADATA = { orderId: 'o_1', tenantId: 't_1' };
const SUCCESS_URL = 'https://demo.academy.mx/orders/o_1?session={CHECKOUT_SESSION_ID}';
const CANCEL_URL = 'https://demo.academy.mx/orders/o_1';

/** A webhook endpoint: keeps each delivery's raw bytes and signature; answers what `respond` says. */
class Receiver {
  readonly deliveries: { raw: Buffer; signature: string; at: number }[] = [];
  /** The answer to the n-th delivery (1-based) of an event: a status, or 'hang' (no answer). */
  respond: (event: { id: string; type: string }, nth: number) => number | 'hang' = () => 200;
  url = '';
  private readonly counts = new Map<string, number>();
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      this.deliveries.push({ raw, signature: String(req.headers['stripe-signature']), at: Date.now() });
      const event = JSON.parse(raw.toString()) as { id: string; type: string };
      const nth = (this.counts.get(event.id) ?? 0) + 1;
      this.counts.set(event.id, nth);
      const answer = this.respond(event, nth);
      if (answer === 'hang') return;
      res.writeHead(answer).end();
    });
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks/stripe`;
    return this;
  }

  /** Every delivery, verified as the commerce subgraph will (throws on a bad signature). */
  events(stripe: Stripe, secret = WEBHOOK_SECRET): Stripe.Event[] {
    return this.deliveries.map((delivery) => stripe.webhooks.constructEvent(delivery.raw, delivery.signature, secret));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function start(init: PaymentSandboxInit = {}, sdk: Partial<Stripe.StripeConfig> = {}) {
  const receiver = await new Receiver().start();
  const sandbox = new PaymentSandbox({
    webhookEndpoints: [{ url: receiver.url, secret: WEBHOOK_SECRET }],
    webhooks: { attempts: 3, backoffMs: 20, timeoutMs: 1_000 },
    ...init,
  });
  const url = await sandbox.listen();
  cleanups.push(
    () => sandbox.close(),
    () => receiver.close(),
  );
  const stripe = stripeFor(url, SECRET_KEY, sdk);
  const admin = new PaymentSandboxClient(url);
  /** Waits for the sandbox's deliveries to finish, then the verified events in arrival order. */
  const received = async () => {
    await admin.waitForDeliveries();
    return receiver.events(stripe);
  };
  return { sandbox, url, stripe, admin, receiver, received };
}

function stripeFor(url: string, key: string, sdk: Partial<Stripe.StripeConfig> = {}): Stripe {
  const { hostname, port } = new URL(url);
  return new Stripe(key, { host: hostname, port: Number(port), protocol: 'http', maxNetworkRetries: 2, timeout: 5_000, ...sdk });
}

function lineItems(amount = 149_900): Stripe.Checkout.SessionCreateParams.LineItem[] {
  return [{ price_data: { currency: 'mxn', unit_amount: amount, product_data: { name: 'Curso: Finanzas personales' } }, quantity: 1 }];
}

const base = (): Stripe.Checkout.SessionCreateParams => ({
  mode: 'payment',
  line_items: lineItems(),
  success_url: SUCCESS_URL,
  cancel_url: CANCEL_URL,
  client_reference_id: 'o_1',
  metadata: METADATA,
  payment_intent_data: { metadata: METADATA },
});
const cardParams = (extra: Partial<Stripe.Checkout.SessionCreateParams> = {}): Stripe.Checkout.SessionCreateParams => ({
  ...base(),
  allowed_payment_method_types: ['card'],
  ...extra,
});
const oxxoParams = (days = 3): Stripe.Checkout.SessionCreateParams => ({
  ...base(),
  allowed_payment_method_types: ['oxxo'],
  payment_method_options: { oxxo: { expires_after_days: days } },
});
const speiParams = (): Stripe.Checkout.SessionCreateParams => ({
  ...base(),
  allowed_payment_method_types: ['customer_balance'],
  customer_creation: 'always',
  payment_method_options: { customer_balance: { funding_type: 'bank_transfer', bank_transfer: { type: 'mx_bank_transfer' } } },
});

const types = (events: Stripe.Event[]) => events.map((event) => event.type);
const objectOf = <T>(event: Stripe.Event) => event.data.object as unknown as T;

/** 23:59:59 Mexico City time (UTC-6), `days` calendar days after `at`. */
function oxxoDeadline(at: number, days: number): number {
  const local = new Date((at - 6 * 3600) * 1000);
  return Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + days, 23, 59, 59) / 1000 + 6 * 3600;
}

function validClabe(clabe: string): boolean {
  const sum = [...clabe.slice(0, 17)].reduce((total, digit, index) => total + ((Number(digit) * [3, 7, 1][index % 3]!) % 10), 0);
  return Number(clabe[17]) === (10 - (sum % 10)) % 10;
}

describe('checkout sessions', () => {
  test('a card session and its PaymentIntent, shaped like Stripe’s', async () => {
    const { stripe, admin, url } = await start();
    const before = (await admin.clock()).now;
    const session = await stripe.checkout.sessions.create(cardParams());
    const after = (await admin.clock()).now;
    expect(session.created).toBeGreaterThanOrEqual(before);
    expect(session.created).toBeLessThanOrEqual(after);
    expect(session).toEqual({
      id: expect.stringMatching(/^cs_test_a1[0-9A-Za-z]{56}$/),
      object: 'checkout.session',
      adaptive_pricing: null,
      after_expiration: null,
      allow_promotion_codes: null,
      allowed_payment_method_types: ['card'],
      amount_subtotal: 149_900,
      amount_total: 149_900,
      automatic_tax: { enabled: false, liability: null, status: null },
      billing_address_collection: null,
      cancel_url: CANCEL_URL,
      client_reference_id: 'o_1',
      client_secret: null,
      collected_information: null,
      consent: null,
      consent_collection: null,
      created: session.created,
      currency: 'mxn',
      currency_conversion: null,
      custom_fields: [],
      custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
      customer: null,
      customer_account: null,
      customer_creation: 'if_required',
      customer_details: null,
      customer_email: null,
      discounts: [],
      expires_at: session.created + 86_400,
      integration_identifier: null,
      invoice: null,
      invoice_creation: null,
      livemode: false,
      locale: null,
      managed_payments: null,
      metadata: METADATA,
      mode: 'payment',
      origin_context: null,
      payment_intent: expect.stringMatching(/^pi_[0-9A-Za-z]{24}$/),
      payment_link: null,
      payment_method_collection: 'if_required',
      payment_method_configuration_details: null,
      payment_method_options: { card: { request_three_d_secure: 'automatic' } },
      payment_method_types: ['card'],
      payment_status: 'unpaid',
      permissions: null,
      phone_number_collection: { enabled: false },
      recovered_from: null,
      saved_payment_method_options: null,
      setup_intent: null,
      shipping_address_collection: null,
      shipping_cost: null,
      shipping_options: [],
      status: 'open',
      submit_type: null,
      subscription: null,
      success_url: SUCCESS_URL,
      total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
      ui_mode: 'hosted',
      url: `${url}/pay/${session.id}`,
      wallet_options: null,
    } satisfies CheckoutSession);

    const retrieved = await stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
    const intentId = session.payment_intent as string;
    expect(retrieved).toEqual({ ...session, payment_intent: expect.any(Object) });
    expect(retrieved.payment_intent).toEqual({
      id: intentId,
      object: 'payment_intent',
      allowed_payment_method_types: ['card'],
      amount: 149_900,
      amount_capturable: 0,
      amount_received: 0,
      application: null,
      application_fee_amount: null,
      automatic_payment_methods: null,
      canceled_at: null,
      cancellation_reason: null,
      capture_method: 'automatic',
      client_secret: expect.stringMatching(new RegExp(`^${intentId}_secret_[0-9A-Za-z]{25}$`)),
      confirmation_method: 'automatic',
      created: session.created,
      currency: 'mxn',
      customer: null,
      customer_account: null,
      description: null,
      excluded_payment_method_types: null,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      managed_payments: null,
      metadata: METADATA,
      next_action: null,
      on_behalf_of: null,
      payment_method: null,
      payment_method_configuration_details: null,
      payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
      payment_method_types: ['card'],
      payment_record: null,
      processing: null,
      receipt_email: null,
      review: null,
      setup_future_usage: null,
      shipping: null,
      source: null,
      statement_descriptor: null,
      statement_descriptor_suffix: null,
      status: 'requires_payment_method',
      transfer_data: null,
      transfer_group: null,
    } satisfies PaymentIntent);
    expect(await stripe.paymentIntents.retrieve(intentId)).toEqual(retrieved.payment_intent);

    const items = await stripe.checkout.sessions.listLineItems(session.id);
    expect(items).toEqual({
      object: 'list',
      data: [
        expect.objectContaining({
          object: 'item',
          amount_total: 149_900,
          currency: 'mxn',
          description: 'Curso: Finanzas personales',
          quantity: 1,
        }),
      ],
      has_more: false,
      url: `/v1/checkout/sessions/${session.id}/line_items`,
    });
  });

  test('card paid: the session completes, the PaymentIntent succeeds with a charge, checkout.session.completed', async () => {
    const { stripe, admin, received } = await start();
    const session = await stripe.checkout.sessions.create(cardParams());
    const paid = await admin.pay(session.id, 'succeeded');
    expect(paid.session).toMatchObject({ status: 'complete', payment_status: 'paid', url: null });

    const events = await received();
    expect(types(events)).toEqual(['checkout.session.completed']);
    const completed = events[0]!;
    expect(completed).toEqual({
      id: expect.stringMatching(/^evt_/),
      object: 'event',
      api_version: DEFAULT_PAYMENT_SANDBOX_OPTIONS.apiVersion,
      created: expect.any(Number),
      data: { object: paid.session },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type: 'checkout.session.completed',
    });
    expect(objectOf<CheckoutSession>(completed)).toMatchObject({
      id: session.id,
      status: 'complete',
      payment_status: 'paid',
      payment_intent: session.payment_intent,
      metadata: METADATA,
      client_reference_id: 'o_1',
      customer_details: { address: null, email: null, name: null, phone: null, tax_exempt: 'none', tax_ids: [] },
    });

    const now = await stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent.latest_charge'] });
    const intent = now.payment_intent as Stripe.PaymentIntent;
    expect(intent).toMatchObject({
      status: 'succeeded',
      amount_received: 149_900,
      next_action: null,
      payment_method: expect.stringMatching(/^pm_/),
    });
    expect(intent.latest_charge).toEqual({
      id: expect.stringMatching(/^ch_/),
      object: 'charge',
      amount: 149_900,
      amount_captured: 149_900,
      amount_refunded: 0,
      application: null,
      application_fee: null,
      application_fee_amount: null,
      balance_transaction: expect.stringMatching(/^txn_/),
      billing_details: { address: null, email: null, name: null, phone: null, tax_id: null },
      calculated_statement_descriptor: 'MADFAM ACADEMY',
      captured: true,
      created: expect.any(Number),
      currency: 'mxn',
      customer: null,
      description: null,
      disputed: false,
      failure_balance_transaction: null,
      failure_code: null,
      failure_message: null,
      fraud_details: {},
      livemode: false,
      metadata: METADATA,
      on_behalf_of: null,
      outcome: {
        network_status: 'approved_by_network',
        reason: null,
        risk_level: 'normal',
        seller_message: 'Payment complete.',
        type: 'authorized',
      },
      paid: true,
      payment_intent: intent.id,
      payment_method: intent.payment_method as string,
      payment_method_details: {
        type: 'card',
        card: {
          brand: 'visa',
          country: 'MX',
          exp_month: 12,
          exp_year: expect.any(Number),
          funding: 'credit',
          last4: '4242',
          network: 'visa',
          three_d_secure: null,
          wallet: null,
        },
      },
      receipt_email: null,
      receipt_number: null,
      receipt_url: null,
      refunded: false,
      review: null,
      shipping: null,
      source: null,
      source_transfer: null,
      statement_descriptor: null,
      statement_descriptor_suffix: null,
      status: 'succeeded',
      transfer_data: null,
      transfer_group: null,
    } satisfies Charge);
    expect(await stripe.events.retrieve(completed.id)).toEqual({ ...completed, pending_webhooks: 0 });
  });

  test('card declined: payment_intent.payment_failed, the session stays open and can still be paid', async () => {
    const { stripe, admin, received } = await start();
    const session = await stripe.checkout.sessions.create(cardParams());
    const declined = await admin.pay(session.id, 'declined');
    expect(declined.session.status).toBe('open');
    expect(declined.payment_intent).toMatchObject({
      status: 'requires_payment_method',
      payment_method: null,
      latest_charge: expect.stringMatching(/^ch_/),
      last_payment_error: {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'generic_decline',
        message: 'Your card was declined.',
        charge: declined.payment_intent.latest_charge,
        doc_url: 'https://stripe.com/docs/error-codes/card-declined',
        payment_method: expect.objectContaining({
          object: 'payment_method',
          type: 'card',
          card: expect.objectContaining({ last4: '0002' }),
        }),
      },
    });
    const failedCharge = await stripe.charges.retrieve(declined.payment_intent.latest_charge!);
    expect(failedCharge).toMatchObject({
      status: 'failed',
      paid: false,
      captured: false,
      failure_code: 'card_declined',
      amount_captured: 0,
    });

    await admin.pay(session.id, 'succeeded');
    const events = await received();
    expect(types(events)).toEqual(['payment_intent.payment_failed', 'checkout.session.completed']);
    expect(objectOf<PaymentIntent>(events[0]!)).toEqual(declined.payment_intent);
    expect(objectOf<CheckoutSession>(events[1]!)).toMatchObject({ status: 'complete', payment_status: 'paid' });
    const intent = await stripe.paymentIntents.retrieve(session.payment_intent as string);
    expect(intent).toMatchObject({ status: 'succeeded', last_payment_error: null });
    expect(intent.latest_charge).not.toBe(failedCharge.id);
  });

  test('OXXO: the voucher exists from creation; paid days later: completed (paid), then async_payment_succeeded', async () => {
    const { stripe, admin, received, url } = await start();
    const session = await stripe.checkout.sessions.create(oxxoParams(3), { idempotencyKey: 'checkout:o_1' });
    const deadline = oxxoDeadline(session.created, 3);
    expect(session).toMatchObject({
      status: 'open',
      payment_status: 'unpaid',
      allowed_payment_method_types: ['oxxo'],
      payment_method_types: ['oxxo'],
      payment_method_options: { oxxo: { expires_after_days: 3 } },
      expires_at: deadline,
    });
    const intent = await stripe.paymentIntents.retrieve(session.payment_intent as string, { expand: ['payment_method'] });
    expect(intent).toMatchObject({
      status: 'requires_action',
      payment_method_types: ['oxxo'],
      payment_method_options: { oxxo: { expires_after_days: 3 } },
    });
    expect(intent.next_action).toEqual({
      type: 'oxxo_display_details',
      oxxo_display_details: {
        expires_after: deadline,
        hosted_voucher_url: `${url}/pay/${session.id}`,
        number: expect.stringMatching(/^\d{18}$/),
      },
    });
    expect(intent.payment_method).toEqual({
      id: expect.stringMatching(/^pm_/),
      object: 'payment_method',
      billing_details: { address: null, email: null, name: null, phone: null, tax_id: null },
      created: session.created,
      customer: null,
      customer_account: null,
      livemode: false,
      metadata: {},
      type: 'oxxo',
      oxxo: {},
    } satisfies PaymentMethod);

    await admin.advanceClock(2 * 86_400);
    const paid = await admin.pay(session.id, 'succeeded');
    expect(paid.payment_intent).toMatchObject({ status: 'succeeded', next_action: null, amount_received: 149_900 });
    const events = await received();
    expect(types(events)).toEqual(['checkout.session.completed', 'checkout.session.async_payment_succeeded']);
    for (const event of events)
      expect(objectOf<CheckoutSession>(event)).toMatchObject({ id: session.id, status: 'complete', payment_status: 'paid' });
    expect(events[0]!.created).toBeGreaterThanOrEqual(session.created + 2 * 86_400);
    const charge = await stripe.charges.retrieve(paid.payment_intent.latest_charge!);
    expect(charge.payment_method_details).toEqual({
      type: 'oxxo',
      oxxo: { number: intent.next_action!.oxxo_display_details!.number },
    });
  });

  test('SPEI: bank transfer instructions with a CLABE; declined: async_payment_failed, then expired; no longer payable', async () => {
    const { stripe, admin, received, url } = await start();
    const session = await stripe.checkout.sessions.create({ ...speiParams(), expand: ['payment_intent'] });
    const intent = session.payment_intent as Stripe.PaymentIntent;
    expect(session).toMatchObject({ status: 'open', customer_creation: 'always', expires_at: session.created + 86_400 });
    expect(intent).toMatchObject({ status: 'requires_action', payment_method_types: ['customer_balance'] });
    expect(intent.next_action).toEqual({
      type: 'display_bank_transfer_instructions',
      display_bank_transfer_instructions: {
        type: 'mx_bank_transfer',
        reference: expect.stringMatching(/^\d{7}$/),
        hosted_instructions_url: `${url}/pay/${session.id}`,
        financial_addresses: [
          {
            type: 'spei',
            spei: {
              account_holder_address: expect.objectContaining({ country: 'MX' }),
              account_holder_name: 'MADFAM Academy (sandbox)',
              bank_address: expect.objectContaining({ country: 'MX' }),
              bank_code: '646',
              bank_name: 'STP',
              clabe: expect.stringMatching(/^646\d{15}$/),
            },
            supported_networks: ['spei'],
          },
        ],
        amount_remaining: 149_900,
        currency: 'mxn',
      },
    });
    expect(validClabe(intent.next_action!.display_bank_transfer_instructions!.financial_addresses![0]!.spei!.clabe)).toBe(true);

    await admin.pay(session.id, 'declined');
    const events = await received();
    expect(types(events)).toEqual(['checkout.session.async_payment_failed', 'checkout.session.expired']);
    for (const event of events)
      expect(objectOf<CheckoutSession>(event)).toMatchObject({ status: 'expired', payment_status: 'unpaid', url: null });
    expect(await stripe.paymentIntents.retrieve(intent.id)).toMatchObject({
      status: 'canceled',
      cancellation_reason: 'abandoned',
      canceled_at: expect.any(Number),
      next_action: null,
    });
    await expect(admin.pay(session.id, 'succeeded')).rejects.toMatchObject({
      status: 409,
      body: { error: { type: 'invalid_request_error', code: 'checkout_session_not_open', message: expect.stringContaining('expired') } },
    });
  });

  test('SPEI paid: completed (paid), then async_payment_succeeded; payment_method_types[] (the older name) is taken too', async () => {
    const { stripe, admin, received } = await start();
    const { allowed_payment_method_types: _, ...params } = speiParams();
    const session = await stripe.checkout.sessions.create({
      ...params,
      payment_method_types: ['customer_balance'],
    } as Stripe.Checkout.SessionCreateParams);
    await admin.pay(session.id, 'succeeded');
    const events = await received();
    expect(types(events)).toEqual(['checkout.session.completed', 'checkout.session.async_payment_succeeded']);
    const intent = await stripe.paymentIntents.retrieve(session.payment_intent as string, { expand: ['latest_charge'] });
    expect(intent).toMatchObject({ status: 'succeeded', next_action: null });
    expect((intent.latest_charge as Stripe.Charge).payment_method_details).toEqual({ type: 'customer_balance', customer_balance: {} });
  });

  test('expire: only an open session; checkout.session.expired names the request and its idempotency key', async () => {
    const { stripe, received } = await start();
    const session = await stripe.checkout.sessions.create(cardParams());
    const expired = await stripe.checkout.sessions.expire(session.id);
    expect(expired).toMatchObject({ status: 'expired', url: null, payment_status: 'unpaid' });
    const events = await received();
    expect(types(events)).toEqual(['checkout.session.expired']);
    expect(events[0]!.request).toEqual({ id: expired.lastResponse.requestId, idempotency_key: expired.lastResponse.idempotencyKey });
    expect(expired.lastResponse.requestId).toMatch(/^req_/);
    expect(expired.lastResponse.idempotencyKey).toMatch(/^stripe-node-retry-/);
    expect(await stripe.paymentIntents.retrieve(session.payment_intent as string)).toMatchObject({ status: 'canceled' });

    await expect(stripe.checkout.sessions.expire(session.id)).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 400,
      code: 'checkout_session_not_open',
    });
    // The merchant closing an OXXO or SPEI session: expired only (no async_payment_failed).
    const spei = await stripe.checkout.sessions.create(speiParams());
    await stripe.checkout.sessions.expire(spei.id);
    expect(types((await received()).slice(1))).toEqual(['checkout.session.expired']);
    await expect(stripe.checkout.sessions.retrieve('cs_test_missing')).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 404,
      code: 'resource_missing',
      message: "No such checkout.session: 'cs_test_missing'",
    });
  });

  test('lists: sessions by payment_intent; events newest first, by type (wildcards), paged with starting_after', async () => {
    const { stripe, admin, received } = await start();
    const a = await stripe.checkout.sessions.create(cardParams());
    const b = await stripe.checkout.sessions.create(oxxoParams());
    await admin.pay(a.id, 'succeeded');
    await admin.pay(b.id, 'succeeded');
    const delivered = await received();
    // Batches go out in order (without the reorder fault).
    expect(types(delivered)).toEqual([
      'checkout.session.completed',
      'checkout.session.completed',
      'checkout.session.async_payment_succeeded',
    ]);

    expect((await stripe.checkout.sessions.list({ payment_intent: b.payment_intent as string })).data.map((s) => s.id)).toEqual([b.id]);
    expect((await stripe.checkout.sessions.list()).data.map((s) => s.id)).toEqual([b.id, a.id]);

    const first = await stripe.events.list({ type: 'checkout.session.*', limit: 2 });
    expect(first).toMatchObject({ object: 'list', has_more: true, url: '/v1/events' });
    expect(first.data.map((event) => event.id)).toEqual([delivered[2]!.id, delivered[1]!.id]);
    const next = await stripe.events.list({ type: 'checkout.session.*', limit: 2, starting_after: first.data[1]!.id });
    expect(next.data.map((event) => event.id)).toEqual([delivered[0]!.id]);
    expect(next.has_more).toBe(false);
    const completed = await stripe.events.list({ type: 'checkout.session.completed' }).autoPagingToArray({ limit: 10 });
    expect(completed.map((event) => event.id)).toEqual([delivered[1]!.id, delivered[0]!.id]);
    expect(await stripe.events.retrieve(delivered[0]!.id)).toEqual({ ...delivered[0], pending_webhooks: 0 });
    await expect(stripe.events.retrieve('evt_missing')).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  test('invalid requests: Stripe’s error shape with code and param', async () => {
    const { stripe } = await start();
    const attempt = (params: unknown) => stripe.checkout.sessions.create(params as Stripe.Checkout.SessionCreateParams);
    await expect(attempt({ ...cardParams(), coupon: 'X' })).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 400,
      code: 'parameter_unknown',
      param: 'coupon',
      message: 'Received unknown parameter: coupon',
    });
    await expect(attempt({ ...cardParams(), line_items: undefined })).rejects.toMatchObject({
      code: 'parameter_missing',
      param: 'line_items',
    });
    await expect(attempt(cardParams({ line_items: [{ ...lineItems()[0]!, quantity: 'two' as unknown as number }] }))).rejects.toMatchObject(
      {
        code: 'parameter_invalid_integer',
        param: 'line_items[0][quantity]',
      },
    );
    await expect(attempt(cardParams({ line_items: lineItems(500) }))).rejects.toMatchObject({ code: 'amount_too_small' });
    await expect(
      attempt({ ...oxxoParams(), line_items: [{ ...lineItems()[0]!, price_data: { ...lineItems()[0]!.price_data!, currency: 'usd' } }] }),
    ).rejects.toMatchObject({ code: 'payment_method_currency_mismatch', param: 'line_items[0][price_data][currency]' });
    await expect(attempt({ ...oxxoParams(), line_items: lineItems(1_000_100) })).rejects.toMatchObject({ code: 'amount_too_large' });
    await expect(attempt({ ...oxxoParams(), payment_method_options: { oxxo: { expires_after_days: 8 } } })).rejects.toMatchObject({
      statusCode: 400,
      param: 'payment_method_options[oxxo][expires_after_days]',
    });
    await expect(
      attempt({ ...speiParams(), payment_method_options: { customer_balance: { funding_type: 'bank_transfer' } } }),
    ).rejects.toMatchObject({
      code: 'parameter_missing',
      param: 'payment_method_options[customer_balance][bank_transfer][type]',
    });
    await expect(attempt({ ...cardParams(), payment_method_types: ['card'] })).rejects.toMatchObject({ code: 'parameters_exclusive' });
    await expect(attempt(cardParams({ allowed_payment_method_types: ['card', 'oxxo'] }))).rejects.toMatchObject({
      param: 'allowed_payment_method_types',
    });
    await expect(attempt(cardParams({ allowed_payment_method_types: ['paypal'] }))).rejects.toMatchObject({
      param: 'allowed_payment_method_types[0]',
    });
    await expect(attempt({ ...cardParams(), mode: 'subscription' })).rejects.toMatchObject({ param: 'mode' });
    const now = Math.floor(Date.now() / 1000);
    await expect(attempt(cardParams({ expires_at: now + 600 }))).rejects.toMatchObject({ param: 'expires_at' });
    await expect(attempt(cardParams({ expires_at: now + 25 * 3600 }))).rejects.toMatchObject({ param: 'expires_at' });
    expect(await attempt(cardParams({ expires_at: now + 3600 }))).toMatchObject({ expires_at: now + 3600 });
  });

  test('401 with a wrong key, in Stripe’s shape, not retried by the SDK', async () => {
    const { url, admin } = await start();
    const wrong = stripeFor(url, 'sk_test_not_the_sandbox_key');
    const failure = await wrong.checkout.sessions.create(cardParams()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(failure).toMatchObject({
      statusCode: 401,
      rawType: 'invalid_request_error',
      message: 'Invalid API Key provided: sk_test_***************_key',
    });
    expect((await admin.stats()).requests['POST /v1/checkout/sessions']).toBe(1);
    const none = await fetch(`${url}/v1/events`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({
      error: { type: 'invalid_request_error', message: expect.stringContaining('You did not provide an API key') },
    });
  });
});

describe('the hosted page', () => {
  test('shows the amount, the method and Pay / Decline; a browser POST is redirected to success_url or cancel_url', async () => {
    const { stripe } = await start();
    const card = await stripe.checkout.sessions.create(cardParams());
    const page = await fetch(card.url!);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toContain('$1,499.00 MXN');
    expect(html).toContain('Tarjeta');
    expect(html).toContain('Curso: Finanzas personales');
    expect(html).toMatch(/<form method="post" action="\/pay\/cs_test_[^"]+"><input type="hidden" name="outcome" value="succeeded">/);
    expect(html).toContain('value="declined"');

    const form = (outcome: string) => fetch(card.url!, { method: 'POST', body: new URLSearchParams({ outcome }), redirect: 'manual' });
    const declined = await form('declined');
    expect(declined.status).toBe(303);
    expect(declined.headers.get('location')).toBe(CANCEL_URL);
    const paid = await form('succeeded');
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`https://demo.academy.mx/orders/o_1?session=${card.id}`);
    const again = await form('succeeded');
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('ya se completó');
    expect(await (await fetch(card.url!)).text()).toContain('Pago recibido');

    const oxxo = await stripe.checkout.sessions.create({ ...oxxoParams(), expand: ['payment_intent'] });
    const voucher = await (
      await fetch((oxxo.payment_intent as Stripe.PaymentIntent).next_action!.oxxo_display_details!.hosted_voucher_url!)
    ).text();
    expect(voucher).toContain('Ficha OXXO');
    expect(voucher).toContain((oxxo.payment_intent as Stripe.PaymentIntent).next_action!.oxxo_display_details!.number!);
    const spei = await stripe.checkout.sessions.create({ ...speiParams(), expand: ['payment_intent'] });
    const instructions = (spei.payment_intent as Stripe.PaymentIntent).next_action!.display_bank_transfer_instructions!;
    const transfer = await (await fetch(instructions.hosted_instructions_url!)).text();
    expect(transfer).toContain(instructions.financial_addresses![0]!.spei!.clabe);

    expect((await fetch(`${new URL(card.url!).origin}/pay/cs_test_nope`)).status).toBe(404);
    const bad = await fetch(oxxo.url!, {
      method: 'POST',
      body: new URLSearchParams({ outcome: 'maybe' }),
      headers: { accept: 'application/json' },
    });
    expect(bad.status).toBe(400);
  });
});

describe('webhooks', () => {
  test('every event is signed as Stripe signs: constructEvent accepts it; a tampered body or another secret does not', async () => {
    const { stripe, admin, receiver, received } = await start();
    const session = await stripe.checkout.sessions.create(oxxoParams());
    await admin.pay(session.id, 'succeeded');
    const events = await received();
    expect(events).toHaveLength(2);
    const [delivery] = receiver.deliveries;
    expect(delivery!.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const t = Number(/^t=(\d+)/.exec(delivery!.signature)![1]);
    expect(Math.abs(t - Date.now() / 1000)).toBeLessThan(10);

    const tampered = Buffer.from(delivery!.raw.toString().replace('"paid"', '"unpaid"'));
    expect(tampered.equals(delivery!.raw)).toBe(false);
    expect(() => stripe.webhooks.constructEvent(tampered, delivery!.signature, WEBHOOK_SECRET)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    expect(() => stripe.webhooks.constructEvent(delivery!.raw, delivery!.signature, 'whsec_someone_else')).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    // Re-serialised JSON is not what was signed either: receivers must verify the raw bytes.
    expect(() =>
      stripe.webhooks.constructEvent(JSON.stringify(JSON.parse(delivery!.raw.toString())), delivery!.signature, WEBHOOK_SECRET),
    ).toThrow(Stripe.errors.StripeSignatureVerificationError);
  });

  test('an endpoint added at run time gets the next events, signed with its own secret', async () => {
    const { stripe, admin, received } = await start();
    const other = await new Receiver().start();
    cleanups.push(() => other.close());
    const endpoint = await admin.addWebhookEndpoint({ url: other.url, secret: 'whsec_other', enabledEvents: ['checkout.session.*'] });
    expect(endpoint).toEqual({
      id: expect.stringMatching(/^we_/),
      url: other.url,
      secret: 'whsec_other',
      enabledEvents: ['checkout.session.*'],
    });
    const session = await stripe.checkout.sessions.create(cardParams());
    await admin.pay(session.id, 'declined');
    await admin.pay(session.id, 'succeeded');
    expect(types(await received())).toEqual(['payment_intent.payment_failed', 'checkout.session.completed']);
    expect(types(other.events(stripe, 'whsec_other'))).toEqual(['checkout.session.completed']);
    expect(() => other.events(stripe, WEBHOOK_SECRET)).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect((await stripe.events.list({ type: 'checkout.session.completed' })).data[0]!.pending_webhooks).toBe(0);
  });

  test('a failed or unanswered delivery is retried with backoff; each attempt is recorded', async () => {
    const { stripe, admin, receiver, received } = await start({ webhooks: { attempts: 3, backoffMs: 50, timeoutMs: 300 } });
    receiver.respond = (event, nth) => (event.type === 'checkout.session.completed' ? (nth === 1 ? 500 : nth === 2 ? 'hang' : 200) : 503);
    const session = await stripe.checkout.sessions.create(oxxoParams());
    await admin.pay(session.id, 'succeeded');
    const events = await received();
    expect(types(events).slice(0, 2)).toEqual(['checkout.session.completed', 'checkout.session.async_payment_succeeded']);
    expect(types(events).sort()).toEqual([
      ...Array(3).fill('checkout.session.async_payment_succeeded'),
      ...Array(3).fill('checkout.session.completed'),
    ]);
    const [completed, asyncSucceeded] = events;
    const { data } = await admin.deliveries({ eventId: completed!.id });
    expect(data).toEqual([
      expect.objectContaining({
        eventType: 'checkout.session.completed',
        attempt: 1,
        copy: 1,
        status: 'failed',
        statusCode: 500,
        error: 'HTTP 500',
        willRetry: true,
      }),
      expect.objectContaining({ attempt: 2, status: 'failed', statusCode: null, error: 'no response within 300 ms', willRetry: true }),
      expect.objectContaining({ attempt: 3, status: 'succeeded', statusCode: 200, error: null, willRetry: false }),
    ]);
    // Backoff doubles: 50 ms, then 100 ms (after the 300 ms timeout).
    expect(Date.parse(data[2]!.at) - Date.parse(data[1]!.at)).toBeGreaterThanOrEqual(300 + 100 - 5);
    expect((await stripe.events.retrieve(completed!.id)).pending_webhooks).toBe(0);
    // Out of attempts: recorded, and the event stays pending for that endpoint.
    const failed = (await admin.deliveries({ eventId: asyncSucceeded!.id })).data;
    expect(failed.map((attempt) => [attempt.attempt, attempt.status, attempt.willRetry])).toEqual([
      [1, 'failed', true],
      [2, 'failed', true],
      [3, 'failed', false],
    ]);
    expect((await stripe.events.retrieve(asyncSucceeded!.id)).pending_webhooks).toBe(1);
  });
});

describe('idempotency', () => {
  test('the same key and parameters answer the same session; other parameters are an idempotency_error', async () => {
    const { stripe, admin } = await start();
    const first = await stripe.checkout.sessions.create(cardParams(), { idempotencyKey: 'checkout:o_1' });
    const second = await stripe.checkout.sessions.create(cardParams(), { idempotencyKey: 'checkout:o_1' });
    expect(second).toEqual(first);
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
    const other = await stripe.checkout.sessions
      .create(cardParams({ line_items: lineItems(99_900) }), { idempotencyKey: 'checkout:o_1' })
      .catch((error: unknown) => error);
    expect(other).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(other).toMatchObject({
      statusCode: 400,
      rawType: 'idempotency_error',
      message: expect.stringContaining("other than 'checkout:o_1'"),
    });
    const third = await stripe.checkout.sessions.create(cardParams(), { idempotencyKey: 'checkout:o_2' });
    expect(third.id).not.toBe(first.id);
    expect(await admin.stats()).toMatchObject({ idempotentReplays: 1, objects: { checkoutSessions: 2, paymentIntents: 2 } });
  });

  test('a 503 is retried by the SDK (same key) and makes one session', async () => {
    const { stripe, admin } = await start();
    await admin.setFaults({ nextErrors: 2 });
    const session = await stripe.checkout.sessions.create(cardParams(), { idempotencyKey: 'checkout:o_1' });
    expect(session.object).toBe('checkout.session');
    expect(await admin.stats()).toMatchObject({
      requests: { 'POST /v1/checkout/sessions': 3 },
      faultsInjected: { errors: 2, timeouts: 0 },
      objects: { checkoutSessions: 1 },
    });
  });

  test('a response lost to a timeout: the SDK’s retry is answered from the idempotency store, one session', async () => {
    const { stripe, admin } = await start({}, { timeout: 700 });
    await admin.setFaults({ nextTimeouts: 1, slowMs: 2_000 });
    const started = Date.now();
    const session = await stripe.checkout.sessions.create(cardParams());
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    expect(session.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(await admin.stats()).toMatchObject({
      requests: { 'POST /v1/checkout/sessions': 2 },
      faultsInjected: { errors: 0, timeouts: 1 },
      idempotentReplays: 1,
      objects: { checkoutSessions: 1 },
    });
    expect((await stripe.checkout.sessions.list()).data.map((s) => s.id)).toEqual([session.id]);
  });
});

describe('refunds', () => {
  test('partial, then the rest; over-refunding is refused; charge.refunded then refund.created each time', async () => {
    const { stripe, admin, received } = await start();
    const session = await stripe.checkout.sessions.create(cardParams());
    const intentId = session.payment_intent as string;
    await expect(stripe.refunds.create({ payment_intent: intentId })).rejects.toMatchObject({
      statusCode: 400,
      code: 'payment_intent_unexpected_state',
    });
    await admin.pay(session.id, 'succeeded');

    const partial = await stripe.refunds.create(
      { payment_intent: intentId, amount: 50_000, reason: 'requested_by_customer', metadata: { refundId: 'r_1' } },
      { idempotencyKey: 'refund:r_1' },
    );
    const chargeId = (await stripe.paymentIntents.retrieve(intentId)).latest_charge as string;
    expect(partial).toEqual({
      id: expect.stringMatching(/^re_/),
      object: 'refund',
      amount: 50_000,
      balance_transaction: expect.stringMatching(/^txn_/),
      charge: chargeId,
      created: expect.any(Number),
      currency: 'mxn',
      customer: null,
      customer_account: null,
      destination_details: {
        type: 'card',
        card: {
          reference: expect.stringMatching(/^\d{12}$/),
          reference_status: 'available',
          reference_type: 'acquirer_reference_number',
          type: 'refund',
        },
      },
      metadata: { refundId: 'r_1' },
      payment_intent: intentId,
      payment_method: expect.stringMatching(/^pm_/),
      reason: 'requested_by_customer',
      receipt_number: null,
      source_transfer_reversal: null,
      status: 'succeeded',
      transfer_reversal: null,
    } satisfies Refund);
    expect(
      await stripe.refunds.create(
        { payment_intent: intentId, amount: 50_000, reason: 'requested_by_customer', metadata: { refundId: 'r_1' } },
        { idempotencyKey: 'refund:r_1' },
      ),
    ).toEqual(partial);

    const over = await stripe.refunds.create({ payment_intent: intentId, amount: 100_000 }).catch((error: unknown) => error);
    expect(over).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(over).toMatchObject({
      statusCode: 400,
      code: 'amount_too_large',
      param: 'amount',
      message: 'Refund amount ($1000.00 mxn) is greater than unrefunded amount on charge ($999.00 mxn)',
    });

    const rest = await stripe.refunds.create({ payment_intent: intentId, expand: ['charge'] });
    expect(rest.amount).toBe(99_900);
    expect(rest.charge).toMatchObject({ id: chargeId, amount_refunded: 149_900, refunded: true });
    await expect(stripe.refunds.create({ payment_intent: intentId, amount: 1 })).rejects.toMatchObject({ code: 'charge_already_refunded' });
    expect(await stripe.refunds.retrieve(partial.id)).toEqual(partial);

    const events = (await received()).filter((event) => event.type !== 'checkout.session.completed');
    expect(types(events)).toEqual(['charge.refunded', 'refund.created', 'charge.refunded', 'refund.created']);
    expect(objectOf<Charge>(events[0]!)).toMatchObject({
      id: chargeId,
      payment_intent: intentId,
      amount_refunded: 50_000,
      refunded: false,
    });
    expect(objectOf<Refund>(events[1]!)).toEqual(partial);
    expect(objectOf<Charge>(events[2]!)).toMatchObject({ id: chargeId, amount_refunded: 149_900, refunded: true });
    expect(objectOf<Refund>(events[3]!)).toMatchObject({ id: rest.id, amount: 99_900 });
    expect(events[0]!.request).toEqual({ id: partial.lastResponse.requestId, idempotency_key: 'refund:r_1' });
  });

  test('OXXO payments cannot be refunded (as on Stripe)', async () => {
    const { stripe, admin } = await start();
    const session = await stripe.checkout.sessions.create(oxxoParams());
    await admin.pay(session.id, 'succeeded');
    await expect(stripe.refunds.create({ payment_intent: session.payment_intent as string })).rejects.toMatchObject({
      statusCode: 400,
      code: 'charge_not_refundable',
    });
  });
});

describe('the clock', () => {
  test('an OXXO voucher is payable until 23:59 Mexico City three days on; then async_payment_failed and expired', async () => {
    const { stripe, admin, received } = await start();
    const clock = await admin.clock();
    expect(clock).toEqual({ now: expect.any(Number), iso: new Date(clock.now * 1000).toISOString(), offsetSeconds: 0 });
    const session = await stripe.checkout.sessions.create(oxxoParams(3));
    const card = await stripe.checkout.sessions.create(cardParams());

    const day = await admin.advanceClock(86_400 + 60);
    expect(day).toMatchObject({ offsetSeconds: 86_460, expired: [card.id] });
    expect(types(await received())).toEqual(['checkout.session.expired']);
    expect(await admin.advanceClock(3 * 86_400 - 86_400 - 120)).toMatchObject({ expired: [] });
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');

    const later = await admin.advanceClock(86_400 + 120);
    expect(later.expired).toEqual([session.id]);
    expect(later.now).toBeGreaterThan(session.expires_at);
    const events = await received();
    expect(types(events)).toEqual(['checkout.session.expired', 'checkout.session.async_payment_failed', 'checkout.session.expired']);
    expect(objectOf<CheckoutSession>(events[1]!)).toMatchObject({ id: session.id, status: 'expired', payment_status: 'unpaid' });
    expect(events[1]!.created).toBeGreaterThan(session.expires_at);
    expect(await stripe.paymentIntents.retrieve(session.payment_intent as string)).toMatchObject({ status: 'canceled', next_action: null });
    await expect(admin.pay(session.id, 'succeeded')).rejects.toBeInstanceOf(PaymentSandboxError);

    // Objects made after the advance carry the sandbox's time; an expires_at the client computed
    // with its own clock ("an hour from now") is moved onto the sandbox's.
    const realNow = Math.floor(Date.now() / 1000);
    const fresh = await stripe.checkout.sessions.create(cardParams({ expires_at: realNow + 3600 }));
    expect(fresh.created).toBeGreaterThanOrEqual(later.now);
    expect(fresh.expires_at - fresh.created).toBeGreaterThanOrEqual(3600 - 2);
    expect(fresh.expires_at - fresh.created).toBeLessThanOrEqual(3600);
    await admin.advanceClock(3600 - 30);
    expect((await stripe.checkout.sessions.retrieve(fresh.id)).status).toBe('open');
    await admin.advanceClock(60);
    expect((await stripe.checkout.sessions.retrieve(fresh.id)).status).toBe('expired');
    await expect(admin.advanceClock(-1)).rejects.toMatchObject({ status: 400 });
  });
});

describe('faults', () => {
  test('errorRate: the SDK retries 503s, then gives up with StripeAPIError; /admin and /pay are never faulted', async () => {
    const { stripe, admin } = await start();
    const session = await stripe.checkout.sessions.create(cardParams());
    await admin.setFaults({ errorRate: 1 });
    const failure = await stripe.checkout.sessions.retrieve(session.id).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(failure).toMatchObject({ statusCode: 503, rawType: 'api_error' });
    expect((await admin.stats()).faultsInjected.errors).toBe(3);
    expect((await admin.pay(session.id, 'succeeded')).session.status).toBe('complete');
    expect(await admin.reset()).toMatchObject({ errorRate: 0, nextErrors: 0, reorder: false });
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe('complete');
  });

  test('timeoutRate: the response comes after the client gave up (StripeConnectionError)', async () => {
    const { stripe, admin } = await start({}, { timeout: 300, maxNetworkRetries: 0 });
    await admin.setFaults({ timeoutRate: 1, slowMs: 1_000 });
    const failure = await stripe.events.list().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect((failure as Error).message).toContain('timeout');
  });

  test('latencyMs delays every API response', async () => {
    const { stripe, admin } = await start({ faults: { latencyMs: 250 } });
    expect(await admin.faults()).toMatchObject({ latencyMs: 250 });
    const started = Date.now();
    await stripe.events.list();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  test('duplicateRate: each event arrives more than once (same id, each copy signed)', async () => {
    const { stripe, admin, received } = await start({ faults: { duplicateRate: 1 } });
    const session = await stripe.checkout.sessions.create(oxxoParams());
    await admin.pay(session.id, 'succeeded');
    const events = await received();
    const byId = new Map<string, number>();
    for (const event of events) byId.set(event.id, (byId.get(event.id) ?? 0) + 1);
    expect(byId.size).toBe(2);
    expect([...byId.values()]).toEqual([3, 3]);
    // The batch first, its copies after.
    expect(types(events).slice(0, 2)).toEqual(['checkout.session.completed', 'checkout.session.async_payment_succeeded']);
    expect((await admin.deliveries()).data.map((attempt) => attempt.copy).sort()).toEqual([1, 1, 2, 2, 3, 3]);
  });

  test('dropRate: a dropped event never arrives, is recorded as dropped and stays readable through the API', async () => {
    const { stripe, admin, receiver } = await start({ faults: { dropRate: 1 } });
    const session = await stripe.checkout.sessions.create(cardParams());
    await admin.pay(session.id, 'succeeded');
    const attempts = await admin.waitForDeliveries();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.deliveries).toHaveLength(0);
    expect(attempts).toEqual([
      expect.objectContaining({ eventType: 'checkout.session.completed', status: 'dropped', attempt: 0, statusCode: null }),
    ]);
    const [event] = (await stripe.events.list({ type: 'checkout.session.completed' })).data;
    expect(event).toMatchObject({ id: attempts[0]!.eventId, pending_webhooks: 1 });
  });

  test('reorder: a batch goes out in reverse; delayMs holds deliveries and gathers a bigger batch', async () => {
    const { stripe, admin, receiver, received } = await start({ faults: { reorder: 'reverse' } });
    const oxxo = await stripe.checkout.sessions.create(oxxoParams());
    await admin.pay(oxxo.id, 'succeeded');
    expect(types(await received())).toEqual(['checkout.session.async_payment_succeeded', 'checkout.session.completed']);

    await admin.setFaults({ delayMs: 1_000 });
    const a = await stripe.checkout.sessions.create(cardParams());
    const b = await stripe.checkout.sessions.create(cardParams());
    const paidAt = Date.now();
    await admin.pay(a.id, 'succeeded');
    await admin.pay(b.id, 'succeeded');
    expect(receiver.deliveries).toHaveLength(2);
    const events = (await received()).slice(2);
    expect(events.map((event) => objectOf<CheckoutSession>(event).id)).toEqual([b.id, a.id]);
    expect(receiver.deliveries[2]!.at - paidAt).toBeGreaterThanOrEqual(990);
  });
});

test('the process: `npm start` runs src/main.ts, logs one JSON line when ready, sends webhooks, stops on SIGTERM', async () => {
  const receiver = await new Receiver().start();
  cleanups.push(() => receiver.close());
  const root = path.resolve(__dirname, '../../..');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'tools/payment-sandbox/src/main.ts')], {
    cwd: root,
    env: { ...process.env, PORT: '0', SANDBOX_STRIPE_WEBHOOK_URL: receiver.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  cleanups.push(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const line = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}`)));
  });
  const ready = JSON.parse(line) as { level: number; time: string; msg: string; url: string };
  expect(ready).toEqual({
    level: 30,
    time: expect.any(String),
    msg: 'payment sandbox ready',
    url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
  });

  const stripe = stripeFor(ready.url, 'sk_test_academy_sandbox');
  const session = await stripe.checkout.sessions.create(cardParams());
  await new PaymentSandboxClient(ready.url).pay(session.id, 'succeeded');
  await new PaymentSandboxClient(ready.url).waitForDeliveries();
  expect(types(receiver.events(stripe, 'whsec_academy_sandbox'))).toEqual(['checkout.session.completed']);

  child.kill('SIGTERM');
  expect(await exited).toBe(0);
});

// Compile-time (npm run typecheck): the sandbox's objects have every field the SDK's types require.
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
type Covers<Sdk, Ours> = [Exclude<RequiredKeys<Sdk>, keyof Ours>] extends [never] ? true : false;
test('objects carry every field the SDK’s types require', () => {
  const covered: [
    Covers<Stripe.Checkout.Session, CheckoutSession>,
    Covers<Stripe.PaymentIntent, PaymentIntent>,
    Covers<Stripe.Charge, Charge>,
    Covers<Stripe.Refund, Refund>,
    Covers<Stripe.PaymentMethod, PaymentMethod>,
    Covers<Stripe.Event, StripeEvent>,
  ] = [true, true, true, true, true, true];
  expect(covered).toEqual([true, true, true, true, true, true]);
});
