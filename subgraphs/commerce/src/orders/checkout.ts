import { orderPaid } from '@academy/events';
import {
  BadUserInputError,
  ConflictError,
  NotFoundError,
  type Coupon,
  type Logger,
  type Order,
  type PaymentMethod,
  type TenantRef,
  type TenantScope,
  type Tx,
  type Viewer,
} from '@academy/platform';
import type { PaymentProvider, ProviderCheckout } from '../payments/payment-provider';
import { couponProblem, priceOf, type Price } from '../pricing/pricing';
import type { CouponRepository } from '../repositories/coupon-repository';
import type { CourseFacts, CourseFactsRepository } from '../repositories/course-facts-repository';
import { pendingSlotOf, type OrderRepository } from '../repositories/order-repository';
import { closeOrder, orderFacts } from './order-closing';

export interface Quote extends Price {
  course: CourseFacts;
  coupon: Coupon | null;
}

/**
 * Quotes and checkouts. The server prices (priceOf): clients never send an amount. One PENDING
 * order per buyer and course (orders.pending_slot, and checkouts of one buyer and course one at
 * a time): checking out again with the same method and coupon returns it; otherwise it is
 * cancelled (its checkout expired at the provider, its coupon redemption given back) and
 * replaced, so a buyer is never asked to pay twice. A total of 0 (a free course, a 100 % coupon)
 * is PAID at once. Either way `order.paid` (same transaction) enrolls the buyer.
 */
export class Checkout {
  constructor(
    private readonly db: TenantScope,
    private readonly tenant: TenantRef,
    private readonly orders: OrderRepository,
    private readonly coupons: CouponRepository,
    private readonly facts: CourseFactsRepository,
    private readonly provider: PaymentProvider,
    /** The apps' address of a tenant (https://{tenant}.academy.mx). */
    private readonly appUrl: string,
    private readonly logger: Logger,
  ) {}

  async quote(courseId: string, couponCode: string | null | undefined, now = new Date()): Promise<Quote> {
    const course = await this.purchasable(courseId);
    const coupon = await this.applicableCoupon(couponCode, course, now);
    return { course, coupon, ...priceOf(course, coupon) };
  }

  async checkout(
    buyer: Viewer,
    courseId: string,
    method: PaymentMethod,
    couponCode: string | null | undefined,
    now = new Date(),
  ): Promise<Order> {
    const course = await this.purchasable(courseId);
    const enrollment = await this.facts.enrollment(course.id, buyer.userId);
    if (enrollment && enrollment.status !== 'CANCELLED') throw new ConflictError('Already enrolled in this course');
    const coupon = await this.applicableCoupon(couponCode, course, now);
    const price = priceOf(course, coupon);
    const { order, replaced } = await this.db.run(async (tx) => {
      await this.orders.lockCheckout(tx, course.id, buyer.userId);
      const pending = await this.orders.pendingLocked(tx, course.id, buyer.userId);
      if (
        pending &&
        pending.paymentMethod === method &&
        pending.couponId === (coupon?.id ?? null) &&
        pending.totalCents === price.totalCents
      )
        return { order: pending, replaced: null };
      if (pending) await this.close(tx, pending, 'CANCELLED', now);
      const free = price.totalCents === 0;
      const created = await this.orders.create(tx, {
        buyerId: buyer.userId,
        courseId: course.id,
        status: free ? 'PAID' : 'PENDING',
        paymentMethod: free ? null : method,
        ...price,
        couponId: coupon?.id ?? null,
        holdsRedemption: coupon !== null,
        pendingSlot: free ? null : pendingSlotOf(course.id, buyer.userId),
        paidAt: free ? now : null,
      });
      if (free) await orderPaid.write(tx, { tenantId: this.db.tenantId, aggregateId: created.id, payload: orderFacts(created) });
      // Last, so the coupon's row stays locked only until the commit: concurrent checkouts of one
      // coupon queue for as short a time as can be. None left: the whole order is rolled back.
      if (coupon && !(await this.coupons.redeem(tx, coupon.id, now)))
        throw new BadUserInputError('Invalid coupon', [{ field: 'couponCode', message: 'has no redemptions left' }]);
      return { order: created, replaced: pending };
    });
    if (replaced?.providerSessionId) await this.expireQuietly(replaced.providerSessionId);
    if (order.status !== 'PENDING' || order.providerSessionId) return order;
    return this.openCheckout(order, course, now);
  }

  /** The buyer gives up a PENDING order: CANCELLED, its redemption given back, its checkout expired. */
  async cancel(order: Order, now = new Date()): Promise<Order> {
    const cancelled = await this.db.run(async (tx) => {
      const current = await this.orders.locked(tx, order.id);
      if (!current) throw new NotFoundError('Order');
      if (current.status !== 'PENDING') throw new ConflictError(`The order is ${current.status.toLowerCase()}, not pending`);
      return this.close(tx, current, 'CANCELLED', now);
    });
    if (cancelled.providerSessionId) await this.expireQuietly(cancelled.providerSessionId);
    return cancelled;
  }

  /**
   * Asks the provider for the order's checkout (idempotent per order) and keeps what it says.
   * A provider that cannot be reached fails the order (its redemption given back) and answers
   * UPSTREAM_UNAVAILABLE: nothing was charged, checking out again starts afresh.
   */
  private async openCheckout(order: Order, course: CourseFacts, now: Date): Promise<Order> {
    let checkout: ProviderCheckout;
    try {
      checkout = await this.provider.createCheckout({
        orderId: order.id,
        tenantId: this.db.tenantId,
        courseTitle: course.title,
        amountCents: order.totalCents,
        currency: order.currency,
        method: order.paymentMethod!,
        returnUrl: `${this.appUrl.replace('{tenant}', this.tenant.slug)}/orders/${order.id}`,
      });
    } catch (error) {
      await this.db.run(async (tx) => {
        const current = await this.orders.locked(tx, order.id);
        if (current?.status === 'PENDING' && !current.providerSessionId)
          await this.close(tx, current, 'FAILED', now, 'the payment provider could not be reached');
      });
      throw error;
    }
    return this.db.run((tx) =>
      this.orders.update(tx, order.id, {
        providerSessionId: checkout.sessionId,
        providerPaymentId: checkout.paymentId,
        checkoutUrl: checkout.url,
        instructions: checkout.instructions ?? undefined,
        payableUntil: checkout.payableUntil,
      }),
    );
  }

  private close(tx: Tx, order: Order, status: 'CANCELLED' | 'FAILED' | 'EXPIRED', now: Date, reason: string | null = null): Promise<Order> {
    return closeOrder(tx, { tenantId: this.db.tenantId, orders: this.orders, coupons: this.coupons }, order, status, now, reason);
  }

  /** No payment may be taken on a checkout the platform gave up; if the provider cannot be told now, a late payment is still honoured. */
  private async expireQuietly(sessionId: string): Promise<void> {
    await this.provider
      .expire(sessionId)
      .catch((error: unknown) => this.logger.warn({ err: error, sessionId }, 'could not expire a checkout'));
  }

  /** A PUBLISHED course of the tenant (NOT_FOUND otherwise: a draft is not for sale). */
  private async purchasable(courseId: string): Promise<CourseFacts> {
    const course = await this.facts.course(courseId);
    if (!course) throw new NotFoundError('Course');
    if (course.status !== 'PUBLISHED')
      throw new BadUserInputError('Only published courses are sold', [{ field: 'courseId', message: 'course is not published' }]);
    return course;
  }

  private async applicableCoupon(code: string | null | undefined, course: CourseFacts, now: Date): Promise<Coupon | null> {
    if (!code?.trim()) return null;
    const coupon = await this.coupons.findByCode(code);
    const problem = coupon ? couponProblem(coupon, course, now) : 'is not a coupon of this academy';
    if (problem) throw new BadUserInputError('Invalid coupon', [{ field: 'couponCode', message: problem }]);
    return coupon;
  }
}
