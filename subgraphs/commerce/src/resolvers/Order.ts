import { isSelfOrAdmin } from '@academy/permissions';
import type { OrderResolvers } from '../generated/resolvers-types';
import { readInstructions } from '../payments/payment-instructions';

export const Order: OrderResolvers = {
  // Its buyer and the tenant's admins; anyone else gets null.
  __resolveReference: async (reference, { loaders, viewer }) => {
    const order = await loaders.order.load(reference.id);
    return order && isSelfOrAdmin(viewer, order.buyerId) ? order : null;
  },
  buyer: (order) => ({ id: order.buyerId }),
  course: (order) => ({ id: order.courseId }),
  coupon: (order, _args, { loaders }) => (order.couponId ? loaders.coupon.load(order.couponId) : null),
  checkoutUrl: (order) => (order.status === 'PENDING' && order.paymentMethod === 'CARD' ? order.checkoutUrl : null),
  oxxo: (order) => {
    const instructions = readInstructions(order.instructions);
    return order.status === 'PENDING' && instructions?.method === 'OXXO'
      ? { ...instructions, expiresAt: new Date(instructions.expiresAt) }
      : null;
  },
  spei: (order) => {
    const instructions = readInstructions(order.instructions);
    return order.status === 'PENDING' && instructions?.method === 'SPEI'
      ? { ...instructions, expiresAt: new Date(instructions.expiresAt) }
      : null;
  },
  enrollment: async (order, _args, { loaders }) => {
    if (order.status !== 'PAID') return null;
    const id = await loaders.enrollmentId.load(`${order.courseId}:${order.buyerId}`);
    return id ? { id } : null;
  },
};
