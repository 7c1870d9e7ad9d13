import { orderFailed } from '@academy/events';
import type { Order, Tx } from '@academy/platform';
import type { CouponRepository } from '../repositories/coupon-repository';
import type { OrderRepository } from '../repositories/order-repository';

/** Facts of an order every order event carries. */
export const orderFacts = (order: Order) => ({
  orderId: order.id,
  buyerId: order.buyerId,
  courseId: order.courseId,
  totalCents: order.totalCents,
  currency: order.currency,
});

/**
 * Ends a PENDING order without payment (CANCELLED by its buyer or a new checkout, FAILED,
 * EXPIRED), in the caller's transaction: no longer pending, its coupon redemption given back;
 * FAILED and EXPIRED tell the buyer (`order.failed`).
 */
export async function closeOrder(
  tx: Tx,
  parts: { tenantId: string; orders: OrderRepository; coupons: CouponRepository },
  order: Order,
  status: 'CANCELLED' | 'FAILED' | 'EXPIRED',
  now: Date,
  reason: string | null = null,
): Promise<Order> {
  if (order.holdsRedemption && order.couponId) await parts.coupons.release(tx, order.couponId);
  const closed = await parts.orders.update(tx, order.id, { status, pendingSlot: null, holdsRedemption: false, closedAt: now });
  if (status !== 'CANCELLED')
    await orderFailed.write(tx, {
      tenantId: parts.tenantId,
      aggregateId: order.id,
      payload: { ...orderFacts(closed), reason: reason ?? (status === 'EXPIRED' ? 'not paid in time' : null) },
    });
  return closed;
}
