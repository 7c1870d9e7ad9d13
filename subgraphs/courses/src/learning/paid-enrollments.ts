import { uniqueViolation, type Database } from '@academy/platform';
import { EnrollmentRepository } from '../repositories/enrollment-repository';

/**
 * The courses domain's half of a paid order, run by the workers on `order.paid`: the buyer
 * enrolled in the course, once however often the event arrives (an enrollment the learner made
 * themselves meanwhile stays as it is; a refunded earlier purchase's cancelled one is active
 * again); on `order.refunded`, that enrollment cancelled.
 */
export class PaidEnrollments {
  constructor(private readonly database: Database) {}

  /** order.refunded: the buyer's enrollment in the course cancelled (their progress kept, should they buy again). */
  async revoke(tenantId: string, order: { buyerId: string; courseId: string }): Promise<void> {
    await new EnrollmentRepository(this.database.forTenant(tenantId)).cancel(order.courseId, order.buyerId);
  }

  async grant(tenantId: string, order: { buyerId: string; courseId: string }): Promise<void> {
    const enrollments = new EnrollmentRepository(this.database.forTenant(tenantId));
    try {
      await enrollments.grantPaid(order.courseId, order.buyerId);
    } catch (error) {
      // The learner enrolled at the same moment (with their PAID order): theirs stands.
      if (!uniqueViolation(error)) throw error;
    }
  }
}
