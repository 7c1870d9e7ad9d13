import type DataLoader from 'dataloader';
import type { SubgraphBaseContext, SubgraphOwnContext } from '@academy/graphql-http';
import { entityLoader, keyedLoader, type Coupon, type Database, type ForwardedContext, type Logger, type Order } from '@academy/platform';
import { CouponService } from './coupons/coupon-service';
import { Checkout } from './orders/checkout';
import { Refunds } from './orders/refunds';
import type { OrderPayments } from './orders/order-payments';
import type { PaymentProvider } from './payments/payment-provider';
import { CouponRepository } from './repositories/coupon-repository';
import { CourseFactsRepository } from './repositories/course-facts-repository';
import { OrderRepository } from './repositories/order-repository';

/** What every resolver of this subgraph receives, built for each request. */
export interface SubgraphContext extends SubgraphBaseContext {
  checkout: Checkout;
  refunds: Refunds;
  coupons: CouponService;
  orders: OrderRepository;
  loaders: {
    order: DataLoader<string, Order | null>;
    coupon: DataLoader<string, Coupon | null>;
    /** A buyer's orders, newest first, by user id. */
    ordersOfBuyer: DataLoader<string, Order[]>;
    /** The enrollment id of a `courseId:learnerId` pair, if any. */
    enrollmentId: DataLoader<string, string | null>;
  };
}

export interface CommerceDependencies {
  database: Database;
  /** The payment provider (Stripe's API: the payment sandbox unless configured). */
  payments: PaymentProvider;
  /** Webhooks in: applies the provider's events to orders. */
  orderPayments: OrderPayments;
  /** The apps' address per tenant, with `{tenant}` (where buyers come back to after paying). */
  appUrl: string;
  logger: Logger;
}

export function contextFactory(deps: CommerceDependencies) {
  return (forwarded: ForwardedContext): SubgraphOwnContext<SubgraphContext> => {
    const db = deps.database.forTenant(forwarded.tenant.id);
    const orders = new OrderRepository(db);
    const coupons = new CouponRepository(db);
    const facts = new CourseFactsRepository(db);
    return {
      ...forwarded,
      orders,
      checkout: new Checkout(db, forwarded.tenant, orders, coupons, facts, deps.payments, deps.appUrl, deps.logger),
      refunds: new Refunds(db, orders, deps.payments),
      coupons: new CouponService(coupons, facts),
      loaders: {
        order: entityLoader((ids) => orders.findByIds(ids)),
        coupon: entityLoader((ids) => coupons.findByIds(ids)),
        ordersOfBuyer: keyedLoader((ids) => orders.ofBuyers(ids), [] as Order[]),
        enrollmentId: keyedLoader((pairs) => facts.enrollmentIds(pairs), null as string | null),
      },
    };
  };
}
