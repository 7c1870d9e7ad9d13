import { and, type IRules } from 'graphql-shield';
import {
  ADMINS,
  everyone,
  federationRules,
  forType,
  hasPersona,
  isAdmin,
  isSelf,
  isSelfOrAdmin,
  signedIn,
  TEACHERS,
  viewerRule,
} from '@academy/permissions';
import { NotFoundError, Persona } from '@academy/platform';
import type { SubgraphContext } from './context';
import type { UserReference } from './models';

/** An order by id: its buyer and the tenant's admins (anyone else: null, as if it did not exist). */
const seesOrder = viewerRule<unknown, { id: string }, SubgraphContext>(
  'commerce:seesOrder',
  'Only the buyer and admins see this order',
  async (viewer, _parent, { id }, { loaders }) => {
    const order = await loaders.order.load(id);
    return order === null || isSelfOrAdmin(viewer, order.buyerId);
  },
);

/** cancelOrder: the buyer only. */
const buysOrder = viewerRule<unknown, { id: string }, SubgraphContext>(
  'commerce:buysOrder',
  'Only the buyer may do this',
  async (viewer, _parent, { id }, { loaders }) => {
    const order = await loaders.order.load(id);
    if (!order) throw new NotFoundError('Order');
    return isSelf(viewer, order.buyerId);
  },
);

/** deactivateCoupon: its creator or an admin. */
const managesCoupon = viewerRule<unknown, { id: string }, SubgraphContext>(
  'commerce:managesCoupon',
  "Only the coupon's creator or an admin may do this",
  async (viewer, _parent, { id }, { loaders }) => {
    const coupon = await loaders.coupon.load(id);
    if (!coupon) throw new NotFoundError('Coupon');
    return isAdmin(viewer) || isSelf(viewer, coupon.createdById);
  },
);

/** refundOrder: an existing order of the tenant (NOT_FOUND otherwise). */
const existingOrder = viewerRule<unknown, { id: string }, SubgraphContext>(
  'commerce:existingOrder',
  'Not allowed',
  async (_viewer, _parent, { id }, { loaders }) => {
    if (!(await loaders.order.load(id))) throw new NotFoundError('Order');
    return true;
  },
);

/** A user's orders: the user and admins. */
const ownOrAdmin = viewerRule<UserReference>('commerce:ownOrdersOrAdmin', 'Only the user and admins see these orders', (viewer, user) =>
  isSelfOrAdmin(viewer, user.id),
);

/** Every type has a rule (a field added later gets its type's); graphql-shield denies anything else. */
export const permissions: IRules = {
  Query: {
    ...federationRules.Query,
    me: everyone,
    quote: signedIn,
    order: and(signedIn, seesOrder),
    orders: hasPersona(...ADMINS),
    coupons: hasPersona(...TEACHERS),
    // The buyer's own only (the resolver answers null for anyone else's).
    orderEvent: signedIn,
  },
  Mutation: {
    checkout: hasPersona(Persona.LEARNER),
    cancelOrder: and(hasPersona(Persona.LEARNER), buysOrder),
    createCoupon: hasPersona(...TEACHERS),
    deactivateCoupon: and(hasPersona(...TEACHERS), managesCoupon),
    refundOrder: and(hasPersona(...ADMINS), existingOrder),
  },
  // Served by the gateway (its live events); the buyer's own orders only (gateway/src/subscriptions/live-fields.ts).
  Subscription: { orderStatusChanged: signedIn },
  _Service: federationRules._Service,
  // Reached through the rules above (an order is its buyer's and the admins'; User.orders below).
  Order: forType(signedIn),
  OrderEdge: forType(signedIn),
  OrderConnection: forType(signedIn),
  OxxoVoucher: forType(signedIn),
  SpeiInstructions: forType(signedIn),
  PriceQuote: forType(signedIn),
  Coupon: forType(signedIn),
  PageInfo: forType(everyone),
  Course: forType(everyone),
  Enrollment: forType(signedIn),
  User: forType(everyone, { orders: ownOrAdmin }),
};
