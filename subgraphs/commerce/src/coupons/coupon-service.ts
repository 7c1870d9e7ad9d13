import { isAdmin } from '@academy/permissions';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError, Persona, type Coupon, type Viewer } from '@academy/platform';
import type { CouponInput } from '../generated/resolvers-types';
import { couponFromInput } from '../pricing/coupon-input';
import type { CouponRepository } from '../repositories/coupon-repository';
import type { CourseFactsRepository } from '../repositories/course-facts-repository';

/**
 * Coupons: a TENANT_ADMIN's apply to any course (one, or all); an INSTRUCTOR's to their own
 * courses only (one of theirs, or all of theirs). Codes are unique per tenant, case-insensitive.
 */
export class CouponService {
  constructor(
    private readonly coupons: CouponRepository,
    private readonly facts: CourseFactsRepository,
  ) {}

  async create(viewer: Viewer, input: CouponInput, now = new Date()): Promise<Coupon> {
    const { issues } = couponFromInput(input, now);
    if (issues.length > 0) throw new BadUserInputError('Invalid coupon', issues);
    if (input.courseId) {
      const course = await this.facts.course(input.courseId);
      if (!course) throw new NotFoundError('Course');
      if (!isAdmin(viewer) && course.instructorId !== viewer.userId)
        throw new ForbiddenError('An instructor makes coupons for their own courses');
    }
    try {
      return await this.coupons.create({
        code: input.code.trim(),
        percentOff: input.percentOff ?? null,
        amountOffCents: input.amountOffCents ?? null,
        courseId: input.courseId ?? null,
        instructorId: viewer.persona === Persona.INSTRUCTOR ? viewer.userId : null,
        createdById: viewer.userId,
        validUntil: input.validUntil ? new Date(input.validUntil as string | Date) : null,
        maxRedemptions: input.maxRedemptions ?? null,
      });
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002') throw new ConflictError('A coupon with this code already exists');
      throw error;
    }
  }

  /** No new redemptions; orders holding one keep it. Deactivating again changes nothing. */
  deactivate(coupon: Coupon): Promise<Coupon> {
    return coupon.active ? this.coupons.deactivate(coupon.id) : Promise.resolve(coupon);
  }

  /** An admin sees every coupon (of a course); an instructor those they made. */
  list(viewer: Viewer, courseId: string | null | undefined): Promise<Coupon[]> {
    return this.coupons.list({ courseId: courseId ?? null, createdById: isAdmin(viewer) ? null : viewer.userId });
  }
}
