import type { Database, Logger } from '@academy/platform';
import type { PaymentProvider } from '../payments/payment-provider';
import { CouponRepository } from '../repositories/coupon-repository';
import { OrderRepository } from '../repositories/order-repository';
import { closeOrder } from './order-closing';
import { OrderPayments } from './order-payments';

/** What one reconciliation did. `checked` counts every stale order; `errors` those whose provider could not be asked (tried again next run). */
export interface ReconciliationCounts {
  checked: number;
  paid: number;
  failed: number;
  expired: number;
  unchanged: number;
  errors: number;
}

type Outcome = 'paid' | 'failed' | 'expired' | 'unchanged';

/** Orders asked about at once: the provider's rate limits are shared with the buyers' checkouts. */
const CONCURRENCY = 4;

/** Why an order whose checkout was never opened is FAILED (its `order.failed` reason). */
export const NEVER_OPENED = 'the checkout was never opened';

/**
 * The safety net under the webhooks (the workers' 'reconcile-orders' task, every minute): PENDING
 * orders older than `olderThanMs` (across tenants, oldest first, through
 * app_commerce_stale_orders) are asked of the provider and brought in line with their checkout
 * exactly as a webhook would (OrderPayments.settle: the order locked, changed only if its state
 * differs), so a lost webhook never leaves a payer without their course, and a webhook arriving at
 * the same time is harmless. An order without a checkout (the process died between creating the
 * order and asking the provider: nobody could pay it) is FAILED, its coupon redemption given back.
 * An order whose provider cannot be asked is logged and left for the next run; the others go on.
 */
export class OrderReconciliation {
  private readonly payments: OrderPayments;

  constructor(
    private readonly database: Database,
    private readonly provider: PaymentProvider,
    private readonly logger: Logger,
  ) {
    this.payments = new OrderPayments(database, provider, logger);
  }

  async reconcile(options: { olderThanMs: number; limit?: number }, now = new Date()): Promise<ReconciliationCounts> {
    const stale = await this.database.prisma.$queryRaw<{ tenant_id: string; id: string }[]>`
      SELECT "tenant_id"::text, "id"::text FROM app_commerce_stale_orders(${new Date(now.getTime() - options.olderThanMs)}, ${options.limit ?? 500})`;
    const counts: ReconciliationCounts = { checked: stale.length, paid: 0, failed: 0, expired: 0, unchanged: 0, errors: 0 };
    let next = 0;
    const work = async () => {
      while (next < stale.length) {
        const { tenant_id: tenantId, id: orderId } = stale[next++]!;
        try {
          const outcome = await this.reconcileOne(tenantId, orderId);
          counts[outcome] += 1;
          if (outcome !== 'unchanged') this.logger.info({ tenantId, orderId, outcome }, 'order reconciled with its checkout');
        } catch (error) {
          counts.errors += 1;
          this.logger.warn({ err: error, tenantId, orderId }, 'order not reconciled; tried again next run');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, stale.length) }, work));
    if (stale.length > 0) this.logger.info({ ...counts }, 'orders reconciled');
    return counts;
  }

  private async reconcileOne(tenantId: string, orderId: string): Promise<Outcome> {
    const db = this.database.forTenant(tenantId);
    const orders = new OrderRepository(db);
    const [order] = await orders.findByIds([orderId]);
    if (!order || order.status !== 'PENDING') return 'unchanged';
    if (!order.providerSessionId)
      return db.run(async (tx) => {
        const current = await orders.locked(tx, orderId);
        if (current?.status !== 'PENDING' || current.providerSessionId) return 'unchanged';
        await closeOrder(tx, { tenantId, orders, coupons: new CouponRepository(db) }, current, 'FAILED', new Date(), NEVER_OPENED);
        return 'failed';
      });
    const checkout = await this.provider.checkout(order.providerSessionId);
    const outcome = await this.payments.settle(tenantId, orderId, checkout);
    switch (outcome) {
      case 'PAID':
        return 'paid';
      case 'FAILED':
        // As for the webhook: a declined checkout takes no later payment.
        await this.provider.expire(checkout.sessionId).catch(() => undefined);
        return 'failed';
      case 'EXPIRED':
        return 'expired';
      default:
        return 'unchanged';
    }
  }
}
