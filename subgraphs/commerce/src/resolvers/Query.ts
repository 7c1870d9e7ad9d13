import { meOf } from '@academy/platform';
import { isSelf } from '@academy/permissions';
import type { QueryResolvers } from '../generated/resolvers-types';

// Permissions (persona, buyer) are checked by graphql-shield before these run.
export const Query: QueryResolvers = {
  // The signed-in person, so that `me { <fields of this subgraph> }` needs no users request first.
  me: (_parent, _args, { viewer }) => meOf(viewer),
  quote: (_parent, { courseId, couponCode }, { checkout }) => checkout.quote(courseId, couponCode),
  order: (_parent, { id }, { loaders }) => loaders.order.load(id),
  orders: (_parent, args, { orders }) => orders.page(args),
  coupons: (_parent, { courseId }, { coupons, viewer }) => coupons.list(viewer!, courseId),
  orderEvent: async (_parent, { id, orderId }, { loaders, viewer }) => {
    const order = await loaders.order.load(id);
    return order && isSelf(viewer, order.buyerId) && (!orderId || orderId === order.id) ? order : null;
  },
};
