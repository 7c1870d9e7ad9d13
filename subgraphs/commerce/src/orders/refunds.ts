import { orderRefunded } from '@academy/events';
import { BadUserInputError, ConflictError, NotFoundError, type Order, type Prisma, type TenantScope, type Viewer } from '@academy/platform';
import type { PaymentProvider } from '../payments/payment-provider';
import type { OrderRepository } from '../repositories/order-repository';
import { orderFacts } from './order-closing';

/**
 * refundOrder (TENANT_ADMIN): the whole payment back to the buyer, once. Only a PAID order;
 * the provider's refund carries the order's idempotency key (two admins refunding at once make
 * one refund); then, with the order locked, REFUNDED, an audit row of who refunded what and why,
 * and `order.refunded` in the same transaction: the workers cancel the buyer's enrollment, the
 * buyer is told, revenue figures drop it. A free order (total 0) has nothing to send back.
 */
export class Refunds {
  constructor(
    private readonly db: TenantScope,
    private readonly orders: OrderRepository,
    private readonly provider: PaymentProvider,
  ) {}

  async refund(order: Order, reason: string, admin: Viewer, now = new Date()): Promise<Order> {
    const why = reason.trim();
    if (why.length === 0 || why.length > 500)
      throw new BadUserInputError('Invalid refund', [{ field: 'reason', message: 'must be 1 to 500 characters' }]);
    if (order.status === 'REFUNDED') return order;
    if (order.status !== 'PAID') throw new ConflictError(`The order is ${order.status.toLowerCase()}: only a paid order is refunded`);
    const refundId =
      order.totalCents > 0 && order.providerPaymentId
        ? await this.provider.refund({ orderId: order.id, tenantId: this.db.tenantId, paymentId: order.providerPaymentId })
        : null;
    return this.db.run(async (tx) => {
      const current = await this.orders.locked(tx, order.id);
      if (!current) throw new NotFoundError('Order');
      if (current.status === 'REFUNDED') return current;
      const refunded = await this.orders.update(tx, order.id, {
        status: 'REFUNDED',
        refundedAt: now,
        refundReason: why,
        providerRefundId: refundId,
      });
      await tx.auditLog.create({
        data: {
          tenantId: this.db.tenantId,
          actorId: admin.userId,
          actorPersona: admin.persona,
          action: 'order.refunded',
          targetType: 'Order',
          targetId: order.id,
          reason: why,
          metadata: {
            buyerId: order.buyerId,
            courseId: order.courseId,
            totalCents: order.totalCents,
            currency: order.currency,
            providerRefundId: refundId,
          } satisfies Prisma.InputJsonObject,
        },
      });
      await orderRefunded.write(tx, {
        tenantId: this.db.tenantId,
        aggregateId: order.id,
        payload: { ...orderFacts(refunded), reason: why },
      });
      return refunded;
    });
  }
}
