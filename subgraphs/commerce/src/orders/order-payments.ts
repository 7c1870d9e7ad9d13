import type http from 'node:http';
import type Stripe from 'stripe';
import { orderPaid } from '@academy/events';
import { sendJson } from '@academy/graphql-http';
import { isUuid, type Database, type Logger } from '@academy/platform';
import type { PaymentProvider, ProviderCheckout } from '../payments/payment-provider';
import { CouponRepository } from '../repositories/coupon-repository';
import { OrderRepository } from '../repositories/order-repository';
import { closeOrder, orderFacts } from './order-closing';

/** Webhook bodies are small; anything larger is not the provider's. */
const MAX_BODY_BYTES = 1024 * 1024;

/** What an event of the provider says about which order of which tenant it concerns. */
function orderOfEvent(event: Stripe.Event): { tenantId: string; orderId: string } | null {
  const object = event.data.object as { metadata?: Record<string, string> | null };
  const tenantId = object.metadata?.['tenantId'];
  const orderId = object.metadata?.['orderId'];
  return tenantId && orderId && isUuid(tenantId) && isUuid(orderId) ? { tenantId, orderId } : null;
}

/**
 * Payments coming in: the provider's webhooks (`/webhooks/stripe`, forwarded by the gateway with
 * their bytes untouched). Each event is checked against the provider's signature on the raw body
 * (refused 400 and logged otherwise), then the order's checkout is read again from the provider:
 * the checkout as it stands, not the event, decides, so duplicates, events out of order and late
 * ones all lead to the same state. The event's id is recorded in the same transaction as its
 * effect (`payment_events`): an event takes effect once however often it arrives. A paid
 * checkout makes the order PAID and writes `order.paid` (the workers enroll the buyer; the
 * notifications subgraph tells them); a declined one FAILED, an expired one EXPIRED (coupon
 * redemptions given back, `order.failed`). A payment that arrives after the platform gave the
 * order up (cancelled or replaced, its checkout expiring) is honoured: the buyer paid.
 */
export class OrderPayments {
  constructor(
    private readonly database: Database,
    private readonly provider: PaymentProvider,
    private readonly logger: Logger,
  ) {}

  /** The webhook route. 2xx as soon as the event is applied (or known, or not ours); 400 for a bad signature; 503 to be sent again later. */
  route = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'POST only' });
    const body = await readBody(req);
    if (!body) return sendJson(res, 413, { error: 'body too large' });
    let event: Stripe.Event;
    try {
      event = this.provider.verify(body, headerOf(req, 'stripe-signature'));
    } catch (error) {
      this.logger.warn({ err: { message: (error as Error).message } }, 'payment webhook refused: bad signature');
      return sendJson(res, 400, { error: 'invalid signature' });
    }
    try {
      const outcome = await this.apply(event);
      this.logger.info({ eventId: event.id, type: event.type, outcome }, 'payment webhook');
      sendJson(res, 200, { received: true, outcome });
    } catch (error) {
      this.logger.error(
        { err: error, eventId: event.id, type: event.type },
        'payment webhook not applied; the provider will send it again',
      );
      sendJson(res, 503, { error: 'not applied, send again' });
    }
  };

  /** One event: its order's checkout read again from the provider and applied, once. */
  async apply(event: Stripe.Event): Promise<string> {
    const target = orderOfEvent(event);
    if (!target) return 'not an order event';
    const db = this.database.forTenant(target.tenantId);
    const orders = new OrderRepository(db);
    const [order] = await orders.findByIds([target.orderId]);
    if (!order?.providerSessionId) return 'unknown order';
    const checkout = await this.provider.checkout(order.providerSessionId);
    const outcome = await db.run(async (tx) => {
      if (!(await orders.recordEvent(tx, { id: event.id, orderId: order.id, type: event.type }))) return 'duplicate';
      return this.settle(target.tenantId, order.id, checkout);
    });
    if (outcome === 'FAILED') await this.provider.expire(checkout.sessionId).catch(() => undefined);
    return outcome;
  }

  /** Brings the order in line with its checkout (in the caller's transaction, the order locked). */
  async settle(tenantId: string, orderId: string, checkout: ProviderCheckout, now = new Date()): Promise<string> {
    const db = this.database.forTenant(tenantId);
    const orders = new OrderRepository(db);
    return db.run(async (tx) => {
      const order = await orders.locked(tx, orderId);
      if (!order) return 'unknown order';
      if (checkout.state === 'paid') {
        if (order.status === 'PAID' || order.status === 'REFUNDED') return 'already paid';
        const paid = await orders.update(tx, order.id, {
          status: 'PAID',
          paidAt: now,
          pendingSlot: null,
          providerPaymentId: checkout.paymentId,
        });
        await orderPaid.write(tx, { tenantId, aggregateId: order.id, payload: orderFacts(paid) });
        return 'PAID';
      }
      if (order.status !== 'PENDING' || checkout.state === 'open') return `no change (${order.status}, checkout ${checkout.state})`;
      const parts = { tenantId, orders, coupons: new CouponRepository(db) };
      if (checkout.state === 'failed') {
        await closeOrder(tx, parts, order, 'FAILED', now, checkout.failure);
        return 'FAILED';
      }
      await closeOrder(tx, parts, order, 'EXPIRED', now);
      return 'EXPIRED';
    });
  }
}

function headerOf(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: http.IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
