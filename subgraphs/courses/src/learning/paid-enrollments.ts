import type { Database } from '@academy/platform';
import { EnrollmentRepository } from '../repositories/enrollment-repository';

/**
 * The courses domain's half of a paid order, run by the workers on `order.paid`: the buyer
 * enrolled in the course, once however often the event arrives (an enrollment the learner made
 * themselves meanwhile stays as it is; a refunded earlier purchase's cancelled one is active again).
 */
export class PaidEnrollments {
  constructor(private readonly database: Database) {}

  async grant(tenantId: string, order: { buyerId: string; courseId: string }): Promise<void> {
    const enrollments = new EnrollmentRepository(this.database.forTenant(tenantId));
    try {
      await enrollments.grantPaid(order.courseId, order.buyerId);
    } catch (error) {
      // The learner enrolled at the same moment (with their PAID order): theirs stands.
      if ((error as { code?: string }).code !== 'P2002') throw error;
    }
  }
}
