/**
 * The payment sandbox: a Stripe stand-in over HTTP (Stripe is not reachable from here), for the
 * commerce subgraph's tests and `npm start`. The official SDK talks to it unchanged
 * (`new Stripe(key, { host, port, protocol: 'http' })`); state lives in memory.
 *
 * API (`Authorization: Bearer <secretKey>`, form-encoded bodies with bracket keys, `expand[]`,
 * `Idempotency-Key` on POSTs, errors `{ error: { type, message, code?, param? } }`, lists
 * `{ object: 'list', data, has_more, url }` newest first with limit/starting_after/ending_before):
 * - POST /v1/checkout/sessions            mode=payment, one of allowed_payment_method_types[] (the SDK's
 *                                         name since 2026-10-28.endive) or payment_method_types[]: card | oxxo |
 *                                         customer_balance (SPEI: funding_type=bank_transfer,
 *                                         bank_transfer[type]=mx_bank_transfer), line_items[n][price_data]
 *                                         (currency, unit_amount, product_data[name]) + quantity,
 *                                         success_url, cancel_url, client_reference_id, customer_email,
 *                                         metadata, payment_intent_data[metadata|description], expires_at
 *                                         (30 min..24 h ahead, default 24 h; read in real time, the client's, and
 *                                         moved by the clock's offset), payment_method_options[oxxo]
 *                                         [expires_after_days] (1..7, default 3). Creates the PaymentIntent too.
 * - GET  /v1/checkout/sessions            ?payment_intent=&status=
 * - GET  /v1/checkout/sessions/:id        expand[]=payment_intent, line_items, payment_intent.latest_charge
 * - GET  /v1/checkout/sessions/:id/line_items
 * - POST /v1/checkout/sessions/:id/expire only while open
 * - GET  /v1/payment_intents/:id          expand[]=latest_charge, payment_method
 * - GET  /v1/charges/:id
 * - POST /v1/refunds                      payment_intent (or charge), amount (<= unrefunded), reason,
 *                                         metadata; succeeded card/SPEI payments (OXXO: refused, as Stripe does)
 * - GET  /v1/refunds/:id
 * - GET  /v1/events/:id, GET /v1/events   ?type= (wildcards: checkout.session.*), types[], created[gte|...]
 *
 * Objects: cs_test_ sessions (url `<origin>/pay/<id>` while open), pi_ PaymentIntents (OXXO:
 * requires_action + next_action.oxxo_display_details, the voucher due 23:59 Mexico City time
 * expires_after_days later, which is also the session's expires_at; SPEI: requires_action +
 * next_action.display_bank_transfer_instructions with an STP CLABE, due with the session; card:
 * requires_payment_method), ch_ charges, re_ refunds, evt_ events. Timestamps use the sandbox clock.
 *
 * Hosted page: GET /pay/:sessionId (amount, method, voucher/CLABE, buttons Pay and Decline),
 * POST /pay/:sessionId `outcome=succeeded|declined`: 303 to success_url / cancel_url
 * (`{CHECKOUT_SESSION_ID}` replaced), or JSON `{ outcome, session, payment_intent }` with
 * `Accept: application/json`; a session no longer open answers 409.
 *
 * Events, in the order they are sent (each `data.object` is the object as it was then):
 * - card, succeeded:          checkout.session.completed (status complete, payment_status paid)
 * - card, declined:           payment_intent.payment_failed (requires_payment_method, last_payment_error
 *                             card_declined); the session stays open and can be paid again
 * - oxxo/SPEI, succeeded:     checkout.session.completed (paid), checkout.session.async_payment_succeeded
 * - oxxo/SPEI, declined:      checkout.session.async_payment_failed, checkout.session.expired
 * - expiry by the clock:     card: checkout.session.expired; oxxo/SPEI: checkout.session.async_payment_failed,
 *                             checkout.session.expired (the PaymentIntent is canceled)
 * - POST .../expire:          checkout.session.expired, whatever the method (the PaymentIntent is canceled)
 * - refund:                   charge.refunded (the charge, amount_refunded/refunded updated), refund.created
 *
 * Webhooks: each event is POSTed as JSON to every endpoint (options.webhookEndpoints, or POST
 * /admin/webhook-endpoints) after the response of the request that caused it, signed
 * `Stripe-Signature: t=<real unix time of the attempt>,v1=<HMAC-SHA256("<t>.<body>", whsec)>`;
 * non-2xx or no response within webhooks.timeoutMs is retried webhooks.attempts times in all,
 * backoff webhooks.backoffMs doubling. Every attempt is recorded (GET /admin/deliveries).
 *
 * Faults (options.faults, POST /admin/faults; never on /admin or /pay), see Faults below:
 * API errorRate / nextErrors (503 api_error before processing), timeoutRate / nextTimeouts
 * (processed, answered slowMs later: past the client's timeout, so it retries with the same
 * Idempotency-Key), latencyMs; webhooks duplicateRate (up to 3 copies), delayMs, reorder
 * (reverse | shuffle each batch), dropRate (never sent, recorded as dropped).
 *
 * Admin (JSON, no auth): GET|POST /admin/clock `{ advanceSeconds }` (expires what falls due),
 * GET|POST /admin/faults, POST /admin/reset (no faults), GET /admin/deliveries?event=&type=
 * (`{ pending, data }`), GET|POST /admin/webhook-endpoints `{ url, secret, enabledEvents? }`,
 * GET /admin/stats. GET /health.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { canonical, FormError, parseForm, paramName, valueAt, type FormObject } from './form';
import { messagePage, paymentPage } from './hosted-page';
import {
  charge as newCharge,
  clabe,
  digits,
  oxxoExpiry,
  paymentMethod,
  SPEI_BANK,
  stripeId,
  type Charge,
  type CheckoutSession,
  type LineItem,
  type Metadata,
  type PaymentIntent,
  type PaymentMethod,
  type PaymentMethodType,
  type Refund,
  type StripeEvent,
  type StripeList,
} from './objects';
import {
  subscribes,
  WebhookDispatcher,
  type DeliveryAttempt,
  type WebhookEndpoint,
  type WebhookEndpointOptions,
  type WebhookSettings,
} from './webhooks';

/** Faults the sandbox injects: on the API (/v1) and on webhook deliveries. */
export interface Faults {
  /** Share of API requests answered 503 (Stripe's api_error) before they are processed, 0..1. */
  errorRate: number;
  /** The next this many API requests are answered 503 (deterministic; counts down). */
  nextErrors: number;
  /** Share of API requests processed but answered only after slowMs (past the client's timeout). */
  timeoutRate: number;
  /** The next this many API requests are processed and answered slowMs late. */
  nextTimeouts: number;
  slowMs: number;
  /** Added before every API request is processed. */
  latencyMs: number;
  /** Share of webhook deliveries sent more than once (a second copy, and a third at the same rate). */
  duplicateRate: number;
  /** Events wait this long before their batch is sent. */
  delayMs: number;
  /** Each batch of events (what delayMs gathered) is sent in reverse or shuffled order. */
  reorder: false | 'reverse' | 'shuffle';
  /** Share of deliveries never sent (recorded as dropped). */
  dropRate: number;
}

export const NO_FAULTS: Faults = {
  errorRate: 0,
  nextErrors: 0,
  timeoutRate: 0,
  nextTimeouts: 0,
  slowMs: 30_000,
  latencyMs: 0,
  duplicateRate: 0,
  delayMs: 0,
  reorder: false,
  dropRate: 0,
};

export interface PaymentSandboxOptions {
  /** The only key the API accepts (`Authorization: Bearer ...`). */
  secretKey: string;
  /** Origin of the URLs handed out (session url, voucher, instructions); default the listening address. */
  publicUrl: string | null;
  /** Events' api_version and the Stripe-Version answered when the request sends none (stripe@23.1.0's). */
  apiVersion: string;
  webhookEndpoints: WebhookEndpointOptions[];
  webhooks: WebhookSettings;
  faults: Faults;
}

export type PaymentSandboxInit = Partial<Omit<PaymentSandboxOptions, 'faults' | 'webhooks'>> & {
  faults?: Partial<Faults>;
  webhooks?: Partial<WebhookSettings>;
};

export const DEFAULT_SECRET_KEY = 'sk_test_academy_sandbox';
export const DEFAULT_WEBHOOK_SECRET = 'whsec_academy_sandbox';

export const DEFAULT_PAYMENT_SANDBOX_OPTIONS: PaymentSandboxOptions = {
  secretKey: DEFAULT_SECRET_KEY,
  publicUrl: null,
  apiVersion: '2026-10-28.endive',
  webhookEndpoints: [],
  webhooks: { attempts: 5, backoffMs: 1_000, timeoutMs: 10_000 },
  faults: NO_FAULTS,
};

export type PayOutcome = 'succeeded' | 'declined';

export interface PayResult {
  outcome: PayOutcome;
  session: CheckoutSession;
  payment_intent: PaymentIntent;
}

export interface SandboxClock {
  /** Sandbox time, unix seconds. */
  now: number;
  iso: string;
  /** How far ahead of real time the sandbox clock is. */
  offsetSeconds: number;
  /** Sessions that expired because of this change (POST /admin/clock only). */
  expired?: string[];
}

export interface SandboxStats {
  /** API requests by route, as they arrive (before faults). */
  requests: Record<string, number>;
  faultsInjected: { errors: number; timeouts: number };
  /** POSTs answered from the idempotency store (a retry of a processed request). */
  idempotentReplays: number;
  objects: { checkoutSessions: number; paymentIntents: number; charges: number; refunds: number; events: number };
}

export interface DeliveryList {
  /** Deliveries not finished (queued, being sent or waiting for a retry). */
  pending: number;
  data: DeliveryAttempt[];
}

interface SessionRecord {
  session: CheckoutSession;
  lineItems: LineItem[];
  method: PaymentMethodType;
}

interface RequestContext {
  params: FormObject;
  id: string;
  request: StripeEvent['request'];
}

type Handler = (context: RequestContext) => [number, unknown];

/** A request the API refuses, answered in Stripe's error shape. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly code?: string,
    readonly param?: string,
  ) {
    super(message);
  }

  body() {
    return {
      error: {
        type: this.type,
        message: this.message,
        ...(this.code ? { code: this.code, doc_url: `https://stripe.com/docs/error-codes/${this.code.replace(/_/g, '-')}` } : {}),
        ...(this.param ? { param: this.param } : {}),
      },
    };
  }
}

const invalid = (message: string, param?: string, code?: string) => new ApiError(400, 'invalid_request_error', message, code, param);
const noSuch = (kind: string, id: string, param = 'id') =>
  new ApiError(404, 'invalid_request_error', `No such ${kind}: '${id}'`, 'resource_missing', param);

/** Automatic changes (the clock) and the customer's (the hosted page) carry no API request. */
const NO_REQUEST: StripeEvent['request'] = { id: null, idempotency_key: null };

const INTEGER = 'Invalid integer';
const integer = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .regex(/^-?\d+$/, INTEGER)
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
const text = (max = 5000) => z.string().max(max, `must be at most ${max} characters`);
const httpUrl = z.string().refine((value) => {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}, 'Not a valid URL');
const metadata = z.preprocess(
  (value) => (value === '' ? {} : value),
  z
    .record(z.string().max(40, 'keys must be at most 40 characters'), z.string().max(500, 'values must be at most 500 characters'))
    .refine((value) => Object.keys(value).length <= 50, 'at most 50 keys'),
);
const expand = z.array(z.string()).optional();
const listParams = {
  limit: integer(1, 100).optional(),
  starting_after: text(255).optional(),
  ending_before: text(255).optional(),
  expand,
};

const methodTypes = z
  .array(z.enum(['card', 'oxxo', 'customer_balance'], { error: 'the payment sandbox supports card, oxxo and customer_balance' }))
  .min(1)
  .max(1, 'the payment sandbox takes exactly one payment method per session');

const SESSION_CREATE = z.strictObject({
  mode: z.enum(['payment'], { error: 'the payment sandbox supports mode=payment only' }).optional(),
  /** The SDK's name since API version 2026-10-28.endive (stripe@23); payment_method_types before. */
  allowed_payment_method_types: methodTypes.optional(),
  payment_method_types: methodTypes.optional(),
  line_items: z
    .array(
      z.strictObject({
        price_data: z.strictObject({
          currency: z.string().regex(/^[a-zA-Z]{3}$/, 'must be a three-letter ISO currency code'),
          unit_amount: integer(0),
          product_data: z.strictObject({
            name: text(250).min(1, 'must not be empty'),
            description: text().optional(),
            metadata: metadata.optional(),
          }),
        }),
        quantity: integer(1, 999_999),
      }),
    )
    .min(1)
    .max(100),
  success_url: httpUrl.optional(),
  cancel_url: httpUrl.optional(),
  client_reference_id: text(200).optional(),
  customer_email: text(512).optional(),
  customer_creation: z.enum(['always', 'if_required']).optional(),
  locale: text(10).optional(),
  metadata: metadata.optional(),
  payment_intent_data: z
    .strictObject({ metadata: metadata.optional(), description: text(1000).optional(), receipt_email: text(512).optional() })
    .optional(),
  expires_at: integer(0).optional(),
  payment_method_options: z
    .strictObject({
      card: z.looseObject({}).optional(),
      oxxo: z.strictObject({ expires_after_days: integer(1, 7).optional() }).optional(),
      customer_balance: z
        .strictObject({
          funding_type: z.enum(['bank_transfer']).optional(),
          bank_transfer: z
            .strictObject({
              type: z.enum(['mx_bank_transfer'], { error: 'the payment sandbox supports mx_bank_transfer (SPEI) only' }),
              requested_address_types: z.array(z.enum(['spei'])).optional(),
            })
            .optional(),
        })
        .optional(),
    })
    .optional(),
  expand,
});

const RETRIEVE = z.strictObject({ expand });

const REFUND_CREATE = z.strictObject({
  payment_intent: text(255).optional(),
  charge: text(255).optional(),
  amount: integer(1).optional(),
  reason: z.enum(['duplicate', 'fraudulent', 'requested_by_customer']).optional(),
  metadata: metadata.optional(),
  expand,
});

const range = z.preprocess(
  (value) => (typeof value === 'string' ? { gte: value, lte: value } : value),
  z.strictObject({ gt: integer(0).optional(), gte: integer(0).optional(), lt: integer(0).optional(), lte: integer(0).optional() }),
);

const EVENT_LIST = z.strictObject({
  ...listParams,
  type: text(255).optional(),
  types: z.array(text(255)).max(20).optional(),
  created: range.optional(),
});
const SESSION_LIST = z.strictObject({
  ...listParams,
  payment_intent: text(255).optional(),
  status: z.enum(['open', 'complete', 'expired']).optional(),
  created: range.optional(),
});
const LINE_ITEM_LIST = z.strictObject(listParams);

const FAULTS_INPUT = z.strictObject({
  errorRate: z.coerce.number().min(0).max(1).optional(),
  nextErrors: z.coerce.number().int().min(0).optional(),
  timeoutRate: z.coerce.number().min(0).max(1).optional(),
  nextTimeouts: z.coerce.number().int().min(0).optional(),
  slowMs: z.coerce.number().int().min(0).optional(),
  latencyMs: z.coerce.number().int().min(0).optional(),
  duplicateRate: z.coerce.number().min(0).max(1).optional(),
  delayMs: z.coerce.number().int().min(0).optional(),
  reorder: z
    .union([z.boolean(), z.enum(['off', 'false', 'true', 'reverse', 'shuffle'])])
    .transform((value): Faults['reorder'] =>
      value === true || value === 'true' ? 'reverse' : value === 'reverse' || value === 'shuffle' ? value : false,
    )
    .optional(),
  dropRate: z.coerce.number().min(0).max(1).optional(),
});

const ENDPOINT_INPUT = z.strictObject({
  url: httpUrl,
  secret: z.string().min(1),
  enabledEvents: z.array(z.string()).min(1).optional(),
});

/** Stripe's minimum charge amounts (smallest unit) for the currencies the platform may use. */
const MINIMUM_AMOUNT: Record<string, number> = { mxn: 1000, usd: 50, eur: 50 };
/** OXXO takes 10.00 to 10,000.00 MXN. */
const OXXO_MAXIMUM = 1_000_000;

function validate<Schema extends z.ZodType>(schema: Schema, params: FormObject): z.output<Schema> {
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const param = paramName([...issue.path, issue.keys[0]!]);
    throw invalid(`Received unknown parameter: ${param}`, param, 'parameter_unknown');
  }
  const param = paramName(issue.path);
  const value = valueAt(params, issue.path);
  if (value === undefined) throw invalid(`Missing required param: ${param}.`, param, 'parameter_missing');
  if (value === '')
    throw invalid(
      `You passed an empty string for '${param}'. We assume empty values are an attempt to unset a parameter; however '${param}' cannot be unset. You should remove '${param}' from your request or supply a non-empty value.`,
      param,
      'parameter_invalid_empty',
    );
  if (issue.message === INTEGER) throw invalid(`Invalid integer: ${String(value)}`, param, 'parameter_invalid_integer');
  throw invalid(`Invalid ${param}: ${issue.message}`, param);
}

/**
 * A stand-in for Stripe (the subset the platform uses), over HTTP: see the top of this file.
 */
export class PaymentSandbox {
  readonly options: PaymentSandboxOptions;
  private faults: Faults;
  private offsetMs = 0;
  private origin = '';
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly intents = new Map<string, PaymentIntent>();
  private readonly paymentMethods = new Map<string, PaymentMethod>();
  private readonly charges = new Map<string, Charge>();
  private readonly refunds = new Map<string, Refund>();
  private readonly events: StripeEvent[] = [];
  private readonly eventsById = new Map<string, StripeEvent>();
  private readonly idempotency = new Map<string, { fingerprint: string; status: number; body: string }>();
  private readonly endpoints: WebhookEndpoint[] = [];
  private readonly deliveredTo = new Set<string>();
  private readonly received = new Map<string, number>();
  private counters = { errors: 0, timeouts: 0, idempotentReplays: 0 };
  private readonly dispatcher: WebhookDispatcher;
  private readonly server: http.Server;
  private readonly routes: [method: string, pattern: RegExp, label: string, handler: (match: RegExpExecArray) => Handler][];
  private readonly held = new Map<NodeJS.Timeout, () => void>();
  private sweeper: NodeJS.Timeout | null = null;

  constructor(options: PaymentSandboxInit = {}) {
    this.options = {
      ...DEFAULT_PAYMENT_SANDBOX_OPTIONS,
      ...options,
      webhooks: { ...DEFAULT_PAYMENT_SANDBOX_OPTIONS.webhooks, ...options.webhooks },
      faults: { ...NO_FAULTS, ...options.faults },
    };
    this.faults = { ...this.options.faults };
    for (const endpoint of this.options.webhookEndpoints) this.addWebhookEndpoint(endpoint);
    this.dispatcher = new WebhookDispatcher(
      () => this.options.webhooks,
      () => this.faults,
      (event) => JSON.stringify(event, null, 2),
      (event, endpoint) => {
        const key = `${event.id} ${endpoint.id}`;
        if (this.deliveredTo.has(key)) return;
        this.deliveredTo.add(key);
        event.pending_webhooks = Math.max(0, event.pending_webhooks - 1);
      },
    );
    const id = (match: RegExpExecArray) => decodeURIComponent(match[1]!);
    this.routes = [
      ['POST', /^\/v1\/checkout\/sessions$/, 'POST /v1/checkout/sessions', () => (context) => this.createSession(context)],
      ['GET', /^\/v1\/checkout\/sessions$/, 'GET /v1/checkout/sessions', () => (context) => this.listSessions(context)],
      [
        'GET',
        /^\/v1\/checkout\/sessions\/([^/]+)$/,
        'GET /v1/checkout/sessions/:id',
        (match) => (context) => this.retrieveSession(id(match), context),
      ],
      [
        'GET',
        /^\/v1\/checkout\/sessions\/([^/]+)\/line_items$/,
        'GET /v1/checkout/sessions/:id/line_items',
        (match) => (context) => this.listLineItems(id(match), context),
      ],
      [
        'POST',
        /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/,
        'POST /v1/checkout/sessions/:id/expire',
        (match) => (context) => this.expireSession(id(match), context),
      ],
      [
        'GET',
        /^\/v1\/payment_intents\/([^/]+)$/,
        'GET /v1/payment_intents/:id',
        (match) => (context) => this.retrieve('payment_intent', this.intents.get(id(match)), id(match), context),
      ],
      [
        'GET',
        /^\/v1\/charges\/([^/]+)$/,
        'GET /v1/charges/:id',
        (match) => (context) => this.retrieve('charge', this.charges.get(id(match)), id(match), context),
      ],
      ['POST', /^\/v1\/refunds$/, 'POST /v1/refunds', () => (context) => this.createRefund(context)],
      [
        'GET',
        /^\/v1\/refunds\/([^/]+)$/,
        'GET /v1/refunds/:id',
        (match) => (context) => this.retrieve('refund', this.refunds.get(id(match)), id(match), context),
      ],
      ['GET', /^\/v1\/events$/, 'GET /v1/events', () => (context) => this.listEvents(context)],
      [
        'GET',
        /^\/v1\/events\/([^/]+)$/,
        'GET /v1/events/:id',
        (match) => (context) => this.retrieve('event', this.eventsById.get(id(match)), id(match), context),
      ],
    ];
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 65_000;
  }

  /** Listens; resolves with the sandbox's URL (the origin of the URLs it hands out unless publicUrl is set). */
  listen(port = 0, host = '127.0.0.1'): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
        const url = `http://${shown}:${(this.server.address() as AddressInfo).port}`;
        this.origin = (this.options.publicUrl ?? url).replace(/\/$/, '');
        // Sessions fall due in real time too.
        this.sweeper = setInterval(() => this.sweep(), 1_000);
        this.sweeper.unref();
        resolve(url);
      });
    });
  }

  close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.dispatcher.close();
    for (const [timer, release] of this.held) {
      clearTimeout(timer);
      release();
    }
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** The sandbox clock, unix seconds. */
  now(): number {
    return Math.floor((Date.now() + this.offsetMs) / 1000);
  }

  clock(): SandboxClock {
    const now = this.now();
    return { now, iso: new Date(now * 1000).toISOString(), offsetSeconds: Math.round(this.offsetMs / 1000) };
  }

  /** Moves the clock forward; what falls due expires now (its events go out after). */
  advanceClock(seconds: number): SandboxClock {
    if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError('the clock only moves forward');
    this.offsetMs += Math.round(seconds * 1000);
    return { ...this.clock(), expired: this.sweep() };
  }

  setFaults(faults: Partial<Faults>): Faults {
    this.faults = { ...this.faults, ...faults };
    return { ...this.faults };
  }

  resetFaults(): Faults {
    this.faults = { ...NO_FAULTS };
    return { ...this.faults };
  }

  addWebhookEndpoint(options: WebhookEndpointOptions): WebhookEndpoint {
    const endpoint: WebhookEndpoint = {
      id: stripeId('we_'),
      url: options.url,
      secret: options.secret,
      enabledEvents: options.enabledEvents ?? ['*'],
    };
    this.endpoints.push(endpoint);
    return endpoint;
  }

  deliveries(filter: { eventId?: string; type?: string } = {}): DeliveryList {
    return {
      pending: this.dispatcher.pending,
      data: this.dispatcher.attempts.filter(
        (attempt) => (!filter.eventId || attempt.eventId === filter.eventId) && (!filter.type || attempt.eventType === filter.type),
      ),
    };
  }

  /** Resolves once every webhook delivery has finished (succeeded, dropped or out of attempts). */
  async settled(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.dispatcher.pending > 0) {
      if (Date.now() > deadline) throw new Error(`webhook deliveries still pending after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  stats(): SandboxStats {
    return {
      requests: Object.fromEntries(this.received),
      faultsInjected: { errors: this.counters.errors, timeouts: this.counters.timeouts },
      idempotentReplays: this.counters.idempotentReplays,
      objects: {
        checkoutSessions: this.sessions.size,
        paymentIntents: this.intents.size,
        charges: this.charges.size,
        refunds: this.refunds.size,
        events: this.events.length,
      },
    };
  }

  /** What the hosted page's buttons do: the customer pays, or the payment fails. */
  pay(sessionId: string, outcome: PayOutcome): PayResult {
    this.sweep();
    const record = this.sessions.get(sessionId);
    if (!record) throw new ApiError(404, 'invalid_request_error', `No such checkout.session: '${sessionId}'`, 'resource_missing');
    const { session } = record;
    if (session.status !== 'open')
      throw new ApiError(
        409,
        'invalid_request_error',
        `This Checkout Session is ${session.status}: it can no longer be paid.`,
        'checkout_session_not_open',
      );
    const intent = this.intents.get(session.payment_intent)!;
    const now = this.now();
    if (outcome === 'succeeded') {
      const method =
        (intent.payment_method && this.paymentMethods.get(intent.payment_method)) || this.storeMethod(paymentMethod('card', now));
      const charge = newCharge(intent, method, now, null);
      this.charges.set(charge.id, charge);
      Object.assign(intent, {
        status: 'succeeded',
        amount_received: intent.amount,
        latest_charge: charge.id,
        payment_method: method.id,
        next_action: null,
        last_payment_error: null,
      } satisfies Partial<PaymentIntent>);
      Object.assign(session, {
        status: 'complete',
        payment_status: 'paid',
        url: null,
        customer_details: { address: null, email: session.customer_email, name: null, phone: null, tax_exempt: 'none', tax_ids: [] },
      } satisfies Partial<CheckoutSession>);
      this.emit('checkout.session.completed', session, NO_REQUEST);
      if (record.method !== 'card') this.emit('checkout.session.async_payment_succeeded', session, NO_REQUEST);
    } else if (record.method === 'card') {
      const method = this.storeMethod(paymentMethod('card', now));
      method.card!.last4 = '0002';
      const failure = { code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' };
      const charge = newCharge(intent, method, now, failure);
      this.charges.set(charge.id, charge);
      Object.assign(intent, {
        status: 'requires_payment_method',
        latest_charge: charge.id,
        payment_method: null,
        last_payment_error: {
          type: 'card_error',
          code: failure.code,
          decline_code: failure.declineCode,
          doc_url: 'https://stripe.com/docs/error-codes/card-declined',
          message: failure.message,
          charge: charge.id,
          payment_method: method,
        },
      } satisfies Partial<PaymentIntent>);
      this.emit('payment_intent.payment_failed', intent, NO_REQUEST);
    } else {
      // The voucher or the transfer is never paid.
      this.expire(record, NO_REQUEST, true);
    }
    return { outcome, session: structuredClone(session), payment_intent: structuredClone(intent) };
  }

  // --- HTTP -------------------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    try {
      const raw = await readBody(req);
      this.sweep();
      if (url.pathname.startsWith('/admin/')) return sendJson(res, ...this.admin(req.method ?? 'GET', url, raw, req));
      if (url.pathname.startsWith('/health')) return sendJson(res, 200, { status: 'ok' });
      const page = /^\/pay\/([^/]+)$/.exec(url.pathname);
      if (page) return this.hosted(req, res, decodeURIComponent(page[1]!), raw);
      await this.api(req, res, url, raw);
    } catch (error) {
      sendJson(res, 500, { error: { type: 'api_error', message: (error as Error).message } });
    }
  }

  private async api(req: http.IncomingMessage, res: http.ServerResponse, url: URL, raw: string): Promise<void> {
    const method = req.method ?? 'GET';
    const requestId = stripeId('req_', 14);
    const idempotencyKey = header(req, 'idempotency-key');
    const headers: Record<string, string> = {
      'request-id': requestId,
      'stripe-version': header(req, 'stripe-version') ?? this.options.apiVersion,
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    };
    const send = (status: number, body: unknown) => sendJson(res, status, body, headers);
    const found = this.routes.find(([routeMethod, pattern]) => routeMethod === method && pattern.test(url.pathname));
    const label = found?.[2] ?? `${method} (unrecognized)`;
    this.received.set(label, (this.received.get(label) ?? 0) + 1);

    if (this.faults.latencyMs > 0) await this.hold(this.faults.latencyMs);
    if (this.faults.nextErrors > 0 || Math.random() < this.faults.errorRate) {
      if (this.faults.nextErrors > 0) this.faults.nextErrors -= 1;
      this.counters.errors += 1;
      return send(503, new ApiError(503, 'api_error', 'The payment sandbox is unavailable (injected fault). Please retry.').body());
    }
    let late = false;
    if (this.faults.nextTimeouts > 0 || Math.random() < this.faults.timeoutRate) {
      if (this.faults.nextTimeouts > 0) this.faults.nextTimeouts -= 1;
      this.counters.timeouts += 1;
      late = true;
    }
    const respond = async (status: number, body: unknown) => {
      if (late) await this.hold(this.faults.slowMs);
      send(status, body);
    };

    const authorization = req.headers.authorization ?? '';
    const key =
      /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] ??
      Buffer.from(/^Basic\s+(\S+)$/i.exec(authorization)?.[1] ?? '', 'base64')
        .toString()
        .split(':')[0];
    if (!key)
      return respond(
        401,
        new ApiError(
          401,
          'invalid_request_error',
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
        ).body(),
      );
    if (key !== this.options.secretKey)
      return respond(401, new ApiError(401, 'invalid_request_error', `Invalid API Key provided: ${redact(key)}`).body());
    if (!found)
      return respond(
        404,
        invalid(
          `Unrecognized request URL (${method}: ${url.pathname}). The payment sandbox serves a subset of Stripe's API (see tools/payment-sandbox).`,
        ).body(),
      );

    let params: FormObject;
    try {
      const source = method === 'GET' || method === 'DELETE' ? url.search.slice(1) : raw;
      params =
        /json/.test(String(req.headers['content-type'])) && raw && method === 'POST' ? (JSON.parse(raw) as FormObject) : parseForm(source);
    } catch (error) {
      return respond(400, invalid((error as Error).message, error instanceof FormError ? error.param : undefined).body());
    }

    if (method === 'POST' && idempotencyKey) {
      if (idempotencyKey.length > 255)
        return respond(400, invalid('Idempotency keys can be at most 255 characters long.', undefined, 'idempotency_key_too_long').body());
      const fingerprint = `${method} ${url.pathname} ${canonical(params)}`;
      const stored = this.idempotency.get(idempotencyKey);
      if (stored && stored.fingerprint !== fingerprint)
        return respond(
          400,
          new ApiError(
            400,
            'idempotency_error',
            `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
          ).body(),
        );
      if (stored) {
        this.counters.idempotentReplays += 1;
        headers['idempotent-replayed'] = 'true';
        if (late) await this.hold(this.faults.slowMs);
        return sendRaw(res, stored.status, stored.body, headers);
      }
      const [status, body] = this.run(found[3](found[1].exec(url.pathname)!), {
        params,
        id: requestId,
        request: { id: requestId, idempotency_key: idempotencyKey },
      });
      const text = JSON.stringify(body, null, 2);
      if (status < 500) this.idempotency.set(idempotencyKey, { fingerprint, status, body: text });
      if (late) await this.hold(this.faults.slowMs);
      return sendRaw(res, status, text, headers);
    }
    const [status, body] = this.run(found[3](found[1].exec(url.pathname)!), {
      params,
      id: requestId,
      request: { id: requestId, idempotency_key: idempotencyKey ?? null },
    });
    return respond(status, body);
  }

  private run(handler: Handler, context: RequestContext): [number, unknown] {
    try {
      return handler(context);
    } catch (error) {
      if (error instanceof ApiError) return [error.status, error.body()];
      throw error;
    }
  }

  private hosted(req: http.IncomingMessage, res: http.ServerResponse, sessionId: string, raw: string): void {
    const wantsJson = String(req.headers.accept ?? '').includes('application/json');
    const html = (status: number, body: string, extra: Record<string, string> = {}) => {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...extra });
      res.end(body);
    };
    const record = this.sessions.get(sessionId);
    if (req.method === 'GET') {
      if (!record) return html(404, messagePage('Pago no encontrado', `No existe la sesión de pago ${sessionId}.`));
      const { session } = record;
      if (session.status === 'complete') return html(200, messagePage('Pago recibido', 'Este pago ya se completó.'));
      if (session.status === 'expired')
        return html(200, messagePage('Sesión expirada', 'Esta sesión de pago expiró; vuelve a la tienda para intentarlo de nuevo.'));
      return html(
        200,
        paymentPage(session, this.intents.get(session.payment_intent)!, record.lineItems, `/pay/${encodeURIComponent(sessionId)}`),
      );
    }
    if (req.method !== 'POST') return html(405, messagePage('Método no permitido', 'Usa GET o POST.'), { allow: 'GET, POST' });
    let outcome: unknown;
    try {
      outcome = /json/.test(String(req.headers['content-type']))
        ? (JSON.parse(raw || '{}') as { outcome?: unknown }).outcome
        : new URLSearchParams(raw).get('outcome');
    } catch {
      outcome = undefined;
    }
    if (outcome !== 'succeeded' && outcome !== 'declined') {
      const error = invalid("outcome must be 'succeeded' or 'declined'", 'outcome', 'parameter_invalid');
      return wantsJson ? sendJson(res, 400, error.body()) : html(400, messagePage('Solicitud inválida', error.message));
    }
    let result: PayResult;
    try {
      result = this.pay(sessionId, outcome);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (wantsJson) return sendJson(res, error.status, error.body());
      const status = this.sessions.get(sessionId)?.session.status;
      const message =
        status === 'complete'
          ? 'Este pago ya se completó.'
          : status === 'expired'
            ? 'Esta sesión de pago expiró: ya no se puede pagar.'
            : error.message;
      return html(error.status, messagePage('No se puede pagar', message));
    }
    if (wantsJson) return sendJson(res, 200, result);
    const target = outcome === 'succeeded' ? result.session.success_url : result.session.cancel_url;
    if (target) return html(303, '', { location: target.replaceAll('{CHECKOUT_SESSION_ID}', sessionId) });
    return html(
      200,
      outcome === 'succeeded'
        ? messagePage('Pago recibido', 'Gracias: el pago se completó.')
        : messagePage('Pago rechazado', 'El pago no se completó.'),
    );
  }

  private admin(method: string, url: URL, raw: string, req: http.IncomingMessage): [number, unknown] {
    let body: unknown = {};
    try {
      if (raw)
        body = /json/.test(String(req.headers['content-type'] ?? 'application/json'))
          ? JSON.parse(raw)
          : Object.fromEntries(new URLSearchParams(raw));
    } catch {
      return [400, { error: { type: 'invalid_request_error', message: 'invalid JSON body' } }];
    }
    const bad = (error: z.ZodError) => [
      400,
      {
        error: {
          type: 'invalid_request_error',
          message: error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; '),
        },
      },
    ];
    const route = `${method} ${url.pathname}`;
    switch (route) {
      case 'GET /admin/clock':
        return [200, this.clock()];
      case 'POST /admin/clock': {
        const parsed = z.strictObject({ advanceSeconds: z.coerce.number().int().min(0) }).safeParse(body);
        if (!parsed.success) return bad(parsed.error) as [number, unknown];
        return [200, this.advanceClock(parsed.data.advanceSeconds)];
      }
      case 'GET /admin/faults':
        return [200, { ...this.faults }];
      case 'POST /admin/faults': {
        const parsed = FAULTS_INPUT.safeParse(body);
        if (!parsed.success) return bad(parsed.error) as [number, unknown];
        const changes = Object.fromEntries(Object.entries(parsed.data).filter(([, value]) => value !== undefined)) as Partial<Faults>;
        return [200, this.setFaults(changes)];
      }
      case 'POST /admin/reset':
        return [200, this.resetFaults()];
      case 'GET /admin/deliveries':
        return [
          200,
          this.deliveries({ eventId: url.searchParams.get('event') ?? undefined, type: url.searchParams.get('type') ?? undefined }),
        ];
      case 'GET /admin/webhook-endpoints':
        return [200, { data: this.endpoints }];
      case 'POST /admin/webhook-endpoints': {
        const parsed = ENDPOINT_INPUT.safeParse(body);
        if (!parsed.success) return bad(parsed.error) as [number, unknown];
        return [200, this.addWebhookEndpoint(parsed.data)];
      }
      case 'GET /admin/stats':
        return [200, this.stats()];
      default:
        return [404, { error: { type: 'invalid_request_error', message: `Unrecognized admin URL (${route})` } }];
    }
  }

  /** Holds a response (faults); close() releases it. */
  private hold(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.held.delete(timer);
        resolve();
      }, ms);
      this.held.set(timer, resolve);
    });
  }

  // --- API --------------------------------------------------------------------------------

  private createSession({ params }: RequestContext): [number, unknown] {
    const input = validate(SESSION_CREATE, params);
    if (input.allowed_payment_method_types && input.payment_method_types)
      throw invalid(
        'You may only specify one of these parameters: allowed_payment_method_types, payment_method_types.',
        'payment_method_types',
        'parameters_exclusive',
      );
    const method: PaymentMethodType = (input.allowed_payment_method_types ?? input.payment_method_types)?.[0] ?? 'card';
    const currency = input.line_items[0]!.price_data.currency.toLowerCase();
    input.line_items.forEach((item, index) => {
      if (item.price_data.currency.toLowerCase() !== currency)
        throw invalid('All line items must use the same currency.', `line_items[${index}][price_data][currency]`);
    });
    const amount = input.line_items.reduce((total, item) => total + item.price_data.unit_amount * item.quantity, 0);
    const minimum = MINIMUM_AMOUNT[currency] ?? 1;
    if (amount < minimum)
      throw invalid(
        `The Checkout Session's total amount must be at least ${(minimum / 100).toFixed(2)} ${currency}.`,
        'line_items',
        'amount_too_small',
      );
    if (method !== 'card' && currency !== 'mxn')
      throw invalid(
        `${method === 'oxxo' ? 'oxxo' : 'mx_bank_transfer'} supports currency mxn only.`,
        'line_items[0][price_data][currency]',
        'payment_method_currency_mismatch',
      );
    if (method === 'oxxo' && amount > OXXO_MAXIMUM)
      throw invalid('OXXO payments can be at most 10,000.00 mxn.', 'line_items', 'amount_too_large');
    if (method === 'customer_balance') {
      const options = input.payment_method_options?.customer_balance;
      if (options?.funding_type !== 'bank_transfer')
        throw invalid(
          'Missing required param: payment_method_options[customer_balance][funding_type].',
          'payment_method_options[customer_balance][funding_type]',
          'parameter_missing',
        );
      if (!options.bank_transfer)
        throw invalid(
          'Missing required param: payment_method_options[customer_balance][bank_transfer][type].',
          'payment_method_options[customer_balance][bank_transfer][type]',
          'parameter_missing',
        );
    }
    const now = this.now();
    // The client computed expires_at with its own (real) clock: checked against real time, then
    // moved onto the sandbox clock, so "an hour from now" stays an hour once the clock was advanced.
    const realNow = Math.floor(Date.now() / 1000);
    let expiresAt = input.expires_at === undefined ? now + 86_400 : input.expires_at + (now - realNow);
    // A minute's grace for a client computing "30 minutes from now" a moment before the request.
    if (expiresAt < now + 30 * 60 - 60)
      throw invalid('The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.', 'expires_at');
    if (expiresAt > now + 86_400 + 60)
      throw invalid('The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.', 'expires_at');

    const sessionId = stripeId('cs_test_a1', 56);
    const intentId = stripeId('pi_');
    const page = `${this.origin}/pay/${sessionId}`;
    const oxxoDays = input.payment_method_options?.oxxo?.expires_after_days ?? 3;
    const intent: PaymentIntent = {
      id: intentId,
      object: 'payment_intent',
      allowed_payment_method_types: [method],
      amount,
      amount_capturable: 0,
      amount_received: 0,
      application: null,
      application_fee_amount: null,
      automatic_payment_methods: null,
      canceled_at: null,
      cancellation_reason: null,
      capture_method: 'automatic',
      client_secret: `${intentId}_secret_${stripeId('', 25)}`,
      confirmation_method: 'automatic',
      created: now,
      currency,
      customer: null,
      customer_account: null,
      description: input.payment_intent_data?.description ?? null,
      excluded_payment_method_types: null,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      managed_payments: null,
      metadata: { ...(input.payment_intent_data?.metadata as Metadata | undefined) },
      next_action: null,
      on_behalf_of: null,
      payment_method: null,
      payment_method_configuration_details: null,
      payment_method_options:
        method === 'card'
          ? { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' } }
          : method === 'oxxo'
            ? { oxxo: { expires_after_days: oxxoDays } }
            : { customer_balance: { bank_transfer: { type: 'mx_bank_transfer' }, funding_type: 'bank_transfer' } },
      payment_method_types: [method],
      payment_record: null,
      processing: null,
      receipt_email: input.payment_intent_data?.receipt_email ?? null,
      review: null,
      setup_future_usage: null,
      shipping: null,
      source: null,
      statement_descriptor: null,
      statement_descriptor_suffix: null,
      status: 'requires_payment_method',
      transfer_data: null,
      transfer_group: null,
    };
    // OXXO and SPEI: the customer chose the method; the voucher / transfer details exist from now on.
    if (method === 'oxxo') {
      expiresAt = oxxoExpiry(now, oxxoDays);
      intent.payment_method = this.storeMethod(paymentMethod('oxxo', now)).id;
      intent.status = 'requires_action';
      intent.next_action = {
        type: 'oxxo_display_details',
        oxxo_display_details: { expires_after: expiresAt, hosted_voucher_url: page, number: digits(18) },
      };
    } else if (method === 'customer_balance') {
      intent.payment_method = this.storeMethod(paymentMethod('customer_balance', now)).id;
      intent.status = 'requires_action';
      intent.next_action = {
        type: 'display_bank_transfer_instructions',
        display_bank_transfer_instructions: {
          type: 'mx_bank_transfer',
          reference: digits(7),
          hosted_instructions_url: page,
          financial_addresses: [
            {
              type: 'spei',
              spei: {
                account_holder_address: { ...SPEI_BANK.account_holder_address },
                account_holder_name: SPEI_BANK.account_holder_name,
                bank_address: { ...SPEI_BANK.bank_address },
                bank_code: SPEI_BANK.bank_code,
                bank_name: SPEI_BANK.bank_name,
                clabe: clabe(SPEI_BANK.bank_code),
              },
              supported_networks: ['spei'],
            },
          ],
          amount_remaining: amount,
          currency,
        },
      };
    }
    const lineItems: LineItem[] = input.line_items.map((item) => ({
      id: stripeId('li_'),
      object: 'item',
      amount_discount: 0,
      amount_subtotal: item.price_data.unit_amount * item.quantity,
      amount_tax: 0,
      amount_total: item.price_data.unit_amount * item.quantity,
      currency,
      description: item.price_data.product_data.name,
      price: {
        id: stripeId('price_'),
        object: 'price',
        active: false,
        billing_scheme: 'per_unit',
        created: now,
        currency,
        livemode: false,
        metadata: {},
        product: stripeId('prod_', 14),
        type: 'one_time',
        unit_amount: item.price_data.unit_amount,
      },
      quantity: item.quantity,
    }));
    const session: CheckoutSession = {
      id: sessionId,
      object: 'checkout.session',
      adaptive_pricing: null,
      after_expiration: null,
      allow_promotion_codes: null,
      allowed_payment_method_types: [method],
      amount_subtotal: amount,
      amount_total: amount,
      automatic_tax: { enabled: false, liability: null, status: null },
      billing_address_collection: null,
      cancel_url: input.cancel_url ?? null,
      client_reference_id: input.client_reference_id ?? null,
      client_secret: null,
      collected_information: null,
      consent: null,
      consent_collection: null,
      created: now,
      currency,
      currency_conversion: null,
      custom_fields: [],
      custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
      customer: null,
      customer_account: null,
      customer_creation: input.customer_creation ?? 'if_required',
      customer_details: null,
      customer_email: input.customer_email ?? null,
      discounts: [],
      expires_at: expiresAt,
      integration_identifier: null,
      invoice: null,
      invoice_creation: null,
      livemode: false,
      locale: input.locale ?? null,
      managed_payments: null,
      metadata: { ...(input.metadata as Metadata | undefined) },
      mode: 'payment',
      origin_context: null,
      payment_intent: intentId,
      payment_link: null,
      payment_method_collection: 'if_required',
      payment_method_configuration_details: null,
      payment_method_options:
        method === 'card'
          ? { card: { request_three_d_secure: 'automatic' } }
          : method === 'oxxo'
            ? { oxxo: { expires_after_days: oxxoDays } }
            : { customer_balance: { bank_transfer: { type: 'mx_bank_transfer' }, funding_type: 'bank_transfer' } },
      payment_method_types: [method],
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
      success_url: input.success_url ?? null,
      total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
      ui_mode: 'hosted',
      url: page,
      wallet_options: null,
    };
    this.intents.set(intentId, intent);
    this.sessions.set(sessionId, { session, lineItems, method });
    return [200, this.expand(session, input.expand ?? [])];
  }

  private retrieveSession(id: string, { params }: RequestContext): [number, unknown] {
    const input = validate(RETRIEVE, params);
    const record = this.sessions.get(id);
    if (!record) throw noSuch('checkout.session', id, 'session');
    return [200, this.expand(record.session, input.expand ?? [])];
  }

  private listSessions({ params }: RequestContext): [number, unknown] {
    const input = validate(SESSION_LIST, params);
    const sessions = [...this.sessions.values()]
      .map((record) => record.session)
      .filter(
        (session) =>
          (!input.payment_intent || session.payment_intent === input.payment_intent) &&
          (!input.status || session.status === input.status) &&
          inRange(session.created, input.created),
      )
      .reverse();
    return [200, this.page(sessions, input, '/v1/checkout/sessions')];
  }

  private listLineItems(id: string, { params }: RequestContext): [number, unknown] {
    const input = validate(LINE_ITEM_LIST, params);
    const record = this.sessions.get(id);
    if (!record) throw noSuch('checkout.session', id, 'session');
    return [200, this.page(record.lineItems, input, `/v1/checkout/sessions/${id}/line_items`, false)];
  }

  private expireSession(id: string, { params, request }: RequestContext): [number, unknown] {
    const input = validate(RETRIEVE, params);
    const record = this.sessions.get(id);
    if (!record) throw noSuch('checkout.session', id, 'session');
    if (record.session.status !== 'open')
      throw invalid(
        `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${record.session.status}".`,
        undefined,
        'checkout_session_not_open',
      );
    this.expire(record, request, false);
    return [200, this.expand(record.session, input.expand ?? [])];
  }

  private retrieve(kind: string, object: { id: string } | undefined, id: string, { params }: RequestContext): [number, unknown] {
    const input = validate(RETRIEVE, params);
    if (!object) throw noSuch(kind, id);
    return [200, this.expand(object, input.expand ?? [])];
  }

  private createRefund({ params, request }: RequestContext): [number, unknown] {
    const input = validate(REFUND_CREATE, params);
    if (!input.payment_intent && !input.charge)
      throw invalid('One of `payment_intent` or `charge` is required.', 'payment_intent', 'parameter_missing');
    let intent: PaymentIntent | undefined;
    let charge: Charge | undefined;
    if (input.payment_intent) {
      intent = this.intents.get(input.payment_intent);
      if (!intent) throw noSuch('payment_intent', input.payment_intent, 'payment_intent');
      if (intent.status !== 'succeeded' || !intent.latest_charge)
        throw invalid(
          `This PaymentIntent (${intent.id}) does not have a successful charge to refund (status ${intent.status}).`,
          'payment_intent',
          'payment_intent_unexpected_state',
        );
      charge = this.charges.get(intent.latest_charge)!;
      if (input.charge && input.charge !== charge.id) throw invalid(`Charge ${input.charge} does not belong to ${intent.id}.`, 'charge');
    } else {
      charge = this.charges.get(input.charge!);
      if (!charge) throw noSuch('charge', input.charge!, 'charge');
      if (charge.status !== 'succeeded')
        throw invalid(`Charge ${charge.id} did not succeed: nothing to refund.`, 'charge', 'charge_not_refundable');
      intent = this.intents.get(charge.payment_intent)!;
    }
    if (charge.payment_method_details.type === 'oxxo')
      throw invalid(
        'OXXO payments cannot be refunded (Stripe does not support refunds for OXXO).',
        'payment_intent',
        'charge_not_refundable',
      );
    const unrefunded = charge.amount - charge.amount_refunded;
    if (unrefunded === 0) throw invalid(`Charge ${charge.id} has already been refunded.`, undefined, 'charge_already_refunded');
    const amount = input.amount ?? unrefunded;
    if (amount > unrefunded)
      throw invalid(
        `Refund amount (${formatMoney(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatMoney(unrefunded, charge.currency)})`,
        'amount',
        'amount_too_large',
      );
    const now = this.now();
    const refund: Refund = {
      id: stripeId('re_'),
      object: 'refund',
      amount,
      balance_transaction: stripeId('txn_'),
      charge: charge.id,
      created: now,
      currency: charge.currency,
      customer: null,
      customer_account: null,
      destination_details:
        charge.payment_method_details.type === 'card'
          ? {
              type: 'card',
              card: { reference: digits(12), reference_status: 'available', reference_type: 'acquirer_reference_number', type: 'refund' },
            }
          : { type: 'customer_balance', customer_balance: {} },
      metadata: { ...(input.metadata as Metadata | undefined) },
      payment_intent: intent.id,
      payment_method: charge.payment_method,
      reason: input.reason ?? null,
      receipt_number: null,
      source_transfer_reversal: null,
      status: 'succeeded',
      transfer_reversal: null,
    };
    this.refunds.set(refund.id, refund);
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    this.emit('charge.refunded', charge, request);
    this.emit('refund.created', refund, request);
    return [200, this.expand(refund, input.expand ?? [])];
  }

  private listEvents({ params }: RequestContext): [number, unknown] {
    const input = validate(EVENT_LIST, params);
    if (input.type && input.types)
      throw invalid('You may only specify one of these parameters: type, types.', 'types', 'parameters_exclusive');
    const patterns = input.types ?? (input.type ? [input.type] : ['*']);
    const matches = (type: string) =>
      patterns.some((pattern) => pattern === '*' || pattern === type || (pattern.endsWith('*') && type.startsWith(pattern.slice(0, -1))));
    const events = this.events.filter((event) => matches(event.type) && inRange(event.created, input.created)).reverse();
    return [200, this.page(events, input, '/v1/events')];
  }

  // --- Objects ----------------------------------------------------------------------------

  private storeMethod(method: PaymentMethod): PaymentMethod {
    this.paymentMethods.set(method.id, method);
    return method;
  }

  /** Sessions past expires_at (sandbox clock) expire, earliest first. */
  private sweep(): string[] {
    const now = this.now();
    const due = [...this.sessions.values()]
      .filter((record) => record.session.status === 'open' && record.session.expires_at <= now)
      .sort((a, b) => a.session.expires_at - b.session.expires_at);
    for (const record of due) this.expire(record, NO_REQUEST, true);
    return due.map((record) => record.session.id);
  }

  /**
   * The session can no longer be paid. `lapsed`: the customer's side failed (an OXXO voucher or
   * SPEI transfer declined or past due), which for those methods is async_payment_failed first.
   */
  private expire(record: SessionRecord, request: StripeEvent['request'], lapsed: boolean): void {
    const { session } = record;
    const intent = this.intents.get(session.payment_intent)!;
    Object.assign(session, { status: 'expired', url: null } satisfies Partial<CheckoutSession>);
    Object.assign(intent, {
      status: 'canceled',
      canceled_at: this.now(),
      cancellation_reason: 'abandoned',
      next_action: null,
    } satisfies Partial<PaymentIntent>);
    if (lapsed && record.method !== 'card') this.emit('checkout.session.async_payment_failed', session, request);
    this.emit('checkout.session.expired', session, request);
  }

  private emit(type: string, object: object, request: StripeEvent['request']): StripeEvent {
    const endpoints = this.endpoints.filter((endpoint) => subscribes(endpoint, type));
    const event: StripeEvent = {
      id: stripeId('evt_'),
      object: 'event',
      api_version: this.options.apiVersion,
      created: this.now(),
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: endpoints.length,
      request,
      type,
    };
    this.events.push(event);
    this.eventsById.set(event.id, event);
    this.dispatcher.enqueue(event, endpoints);
    return event;
  }

  private page<T extends { id: string }>(
    items: T[],
    input: { limit?: number; starting_after?: string; ending_before?: string; expand?: string[] },
    url: string,
    expandable = true,
  ): StripeList<T> {
    if (input.starting_after && input.ending_before)
      throw invalid(
        'You may only specify one of these parameters: starting_after, ending_before.',
        'ending_before',
        'parameters_exclusive',
      );
    const limit = input.limit ?? 10;
    let start = 0;
    let end = items.length;
    const cursor = input.starting_after ?? input.ending_before;
    if (cursor) {
      const index = items.findIndex((item) => item.id === cursor);
      if (index < 0) throw noSuch('object', cursor, input.starting_after ? 'starting_after' : 'ending_before');
      if (input.starting_after) start = index + 1;
      else {
        end = index;
        start = Math.max(0, end - limit);
      }
    }
    const data = items.slice(start, Math.min(end, start + limit));
    const paths = (input.expand ?? []).map((path) => {
      if (!path.startsWith('data.') || !expandable) throw invalid(`This property cannot be expanded (${path}).`, 'expand');
      return path.slice('data.'.length);
    });
    return {
      object: 'list',
      data: data.map((item) => (paths.length > 0 ? (this.expand(item, paths) as T) : item)),
      has_more: input.ending_before ? start > 0 : start + limit < end,
      url,
    };
  }

  /** The object with `expand[]` paths (`payment_intent`, `payment_intent.latest_charge`) replaced by the objects. */
  private expand(object: object, paths: string[]): object {
    let result = object;
    for (const path of paths) result = this.expandPath(result, path.split('.'), path);
    return result;
  }

  private expandPath(object: object, [field, ...rest]: string[], path: string): object {
    const kind = (object as { object?: string }).object;
    const value = (object as Record<string, unknown>)[field!];
    const cannot = () => invalid(`This property cannot be expanded (${path}).`, 'expand');
    let expanded: unknown;
    if (kind === 'checkout.session' && field === 'line_items') {
      const record = this.sessions.get((object as CheckoutSession).id)!;
      expanded = this.page(record.lineItems, { limit: 100 }, `/v1/checkout/sessions/${record.session.id}/line_items`, false);
    } else if (value === null) {
      return object;
    } else if (value !== null && typeof value === 'object') {
      expanded = value;
    } else if (typeof value === 'string') {
      const sources: Record<string, Record<string, Map<string, object>>> = {
        'checkout.session': { payment_intent: this.intents },
        payment_intent: { latest_charge: this.charges, payment_method: this.paymentMethods },
        charge: { payment_intent: this.intents, payment_method: this.paymentMethods },
        refund: { charge: this.charges, payment_intent: this.intents },
      };
      const source = sources[kind ?? '']?.[field!];
      if (!source) throw cannot();
      expanded = source.get(value);
      if (!expanded) return object;
    } else {
      throw cannot();
    }
    return { ...object, [field!]: rest.length > 0 ? this.expandPath(expanded as object, rest, path) : expanded };
  }
}

function inRange(created: number, range: { gt?: number; gte?: number; lt?: number; lte?: number } | undefined): boolean {
  if (!range) return true;
  return (
    (range.gt === undefined || created > range.gt) &&
    (range.gte === undefined || created >= range.gte) &&
    (range.lt === undefined || created < range.lt) &&
    (range.lte === undefined || created <= range.lte)
  );
}

function formatMoney(amount: number, currency: string): string {
  return `$${(amount / 100).toFixed(2)} ${currency}`;
}

function redact(key: string): string {
  return key.length <= 12 ? '*'.repeat(key.length) : `${key.slice(0, 8)}${'*'.repeat(Math.max(4, key.length - 12))}${key.slice(-4)}`;
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sendRaw(res: http.ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache, no-store', ...headers });
  res.end(text);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendRaw(res, status, JSON.stringify(body, null, 2), headers);
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1_000_000) throw new Error('Request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
