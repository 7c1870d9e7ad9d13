import type { CouponResolvers } from '../generated/resolvers-types';

export const Coupon: CouponResolvers = {
  course: (coupon) => (coupon.courseId ? { id: coupon.courseId } : null),
};
