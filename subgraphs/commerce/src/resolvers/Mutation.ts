import type { MutationResolvers } from '../generated/resolvers-types';

// Permissions (persona, buyer, coupon's creator) are checked by graphql-shield before these run.
export const Mutation: MutationResolvers = {
  checkout: (_parent, { courseId, paymentMethod, couponCode }, { checkout, viewer }) =>
    checkout.checkout(viewer!, courseId, paymentMethod ?? 'CARD', couponCode),
  cancelOrder: async (_parent, { id }, { checkout, loaders }) => checkout.cancel((await loaders.order.load(id))!),
  createCoupon: (_parent, { input }, { coupons, viewer }) => coupons.create(viewer!, input),
  deactivateCoupon: async (_parent, { id }, { coupons, loaders }) => coupons.deactivate((await loaders.coupon.load(id))!),
  refundOrder: async (_parent, { id, reason }, { refunds, loaders, viewer }) =>
    refunds.refund((await loaders.order.load(id))!, reason, viewer!),
};
