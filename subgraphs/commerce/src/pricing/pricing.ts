import type { Coupon } from '@academy/platform';
import type { CourseFacts } from '../repositories/course-facts-repository';

/** A price as the server computes it: integer cents, in the course's currency. */
export interface Price {
  subtotalCents: number;
  discountCents: number;
  totalCents: number;
  currency: string;
}

/**
 * The course's price with the coupon: a percentage rounds half up to the cent (10 % of 999 is
 * 100), a fixed amount is taken in the course's currency; the discount never passes the price.
 */
export function priceOf(
  course: Pick<CourseFacts, 'priceCents' | 'currency'>,
  coupon: Pick<Coupon, 'percentOff' | 'amountOffCents'> | null,
): Price {
  const subtotalCents = course.priceCents;
  const off = coupon?.percentOff
    ? Math.floor((subtotalCents * coupon.percentOff + 50) / 100)
    : coupon?.amountOffCents
      ? coupon.amountOffCents
      : 0;
  const discountCents = Math.min(subtotalCents, off);
  return { subtotalCents, discountCents, totalCents: subtotalCents - discountCents, currency: course.currency };
}

/** Why a coupon does not apply to a course now, or null when it does (redemptions left are the checkout's to take). */
export function couponProblem(coupon: Coupon, course: Pick<CourseFacts, 'id' | 'instructorId'>, now: Date): string | null {
  if (!coupon.active) return 'is no longer active';
  if (coupon.validUntil && coupon.validUntil.getTime() <= now.getTime()) return 'has expired';
  if (coupon.courseId && coupon.courseId !== course.id) return 'is for another course';
  if (coupon.instructorId && coupon.instructorId !== course.instructorId) return "is for another instructor's courses";
  if (coupon.maxRedemptions !== null && coupon.redemptionCount >= coupon.maxRedemptions) return 'has no redemptions left';
  return null;
}
