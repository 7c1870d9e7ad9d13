import { z } from 'zod';
import { ConocerStatus } from '@academy/platform';
import { defineEvent } from './define-event';

const conocerStatus = z.enum(ConocerStatus);

/** A learner completed a course and earned its certificate (courses, in the completing transaction). */
export const certificateIssued = defineEvent('certificate.issued', {
  aggregateType: 'Certificate',
  payload: z.object({
    certificateId: z.string(),
    enrollmentId: z.string(),
    courseId: z.string(),
    learnerId: z.string(),
    competencyStandardCode: z.string().nullable(),
    issuedAt: z.iso.datetime(),
  }),
});

/** Staff revoked a certificate (certifications). */
export const certificateRevoked = defineEvent('certificate.revoked', {
  aggregateType: 'Certificate',
  payload: z.object({
    certificateId: z.string(),
    learnerId: z.string(),
    courseId: z.string(),
    reason: z.string(),
    revokedAt: z.iso.datetime(),
  }),
});

/** A submission became PENDING and waits for delivery to CONOCER (conocer: requested, or retried by staff). */
export const conocerSubmissionRequested = defineEvent('conocer.submission.requested', {
  aggregateType: 'ConocerSubmission',
  payload: z.object({ submissionId: z.string(), certificateId: z.string().optional(), retry: z.boolean().optional() }),
});

/** A submission moved from one status to another (conocer; the workers publish it to the live subscribers). */
export const conocerStatusChanged = defineEvent('conocer.status.changed', {
  aggregateType: 'ConocerSubmission',
  payload: z.object({
    tenantId: z.string(),
    changeId: z.string(),
    submissionId: z.string(),
    certificateId: z.string(),
    /** The learner the certificate belongs to (who requested it). */
    learnerId: z.string(),
    status: conocerStatus,
    previousStatus: conocerStatus,
  }),
});

/**
 * Impact events were recorded, changed or deleted: the aggregates have deltas to apply. Written by
 * the database itself (the impact_events triggers of migration 20261122182641_impact_pipeline);
 * packages/outbox's test fires them and reads the row back through this definition.
 */
export const impactEventsChanged = defineEvent('impact.events.changed', {
  aggregateType: 'Tenant',
  payload: z.object({ deltas: z.number().int() }),
});

/** A learner enrolled in a course (courses, in the enrolling transaction). */
export const enrollmentCreated = defineEvent('enrollment.created', {
  aggregateType: 'Enrollment',
  payload: z.object({ enrollmentId: z.string(), courseId: z.string(), learnerId: z.string() }),
});

/** Staff verified someone's self-reported impact event (impact). */
export const impactEventVerified = defineEvent('impact.event.verified', {
  aggregateType: 'ImpactEvent',
  payload: z.object({
    impactEventId: z.string(),
    userId: z.string(),
    verifiedBy: z.string(),
    description: z.string(),
    verificationLevel: z.enum(['SELF_REPORTED', 'PEER_VERIFIED', 'EXPERT_VERIFIED']),
  }),
});

const orderFacts = z.object({
  orderId: z.string(),
  buyerId: z.string(),
  courseId: z.string(),
  totalCents: z.number().int().nonnegative(),
  currency: z.string().length(3),
});

/** An order was paid, failed or was refunded (commerce). */
export const orderPaid = defineEvent('order.paid', { aggregateType: 'Order', payload: orderFacts });
export const orderFailed = defineEvent('order.failed', {
  aggregateType: 'Order',
  payload: orderFacts.extend({ reason: z.string().nullable() }),
});
export const orderRefunded = defineEvent('order.refunded', {
  aggregateType: 'Order',
  payload: orderFacts.extend({ reason: z.string() }),
});

/** An evaluator accepted or rejected a piece of a learner's evidence (conocer: the portfolio). */
export const evidenceReviewed = defineEvent('evidence.reviewed', {
  aggregateType: 'Evidence',
  payload: z.object({
    evidenceId: z.string(),
    portfolioId: z.string(),
    learnerId: z.string(),
    courseId: z.string(),
    accepted: z.boolean(),
    comment: z.string().nullable(),
  }),
});

/** An evaluator judged a learner's portfolio (conocer). */
export const evaluationDecided = defineEvent('evaluation.decided', {
  aggregateType: 'Portfolio',
  payload: z.object({
    portfolioId: z.string(),
    learnerId: z.string(),
    courseId: z.string(),
    judgement: z.enum(['COMPETENT', 'NOT_YET_COMPETENT']),
    comment: z.string().nullable(),
  }),
});

/** A learner reviewed a course (courses): its instructor is told. */
export const courseReviewed = defineEvent('course.reviewed', {
  aggregateType: 'CourseReview',
  payload: z.object({ reviewId: z.string(), courseId: z.string(), instructorId: z.string(), rating: z.number().int().min(1).max(5) }),
});

/**
 * Someone was invited to a tenant, or asked to reset their password (users). `link` is the path
 * of the one-time page (its token included): the email is the only place it is sent.
 */
export const userInvited = defineEvent('user.invited', {
  aggregateType: 'User',
  payload: z.object({
    userId: z.string(),
    invitedBy: z.string().nullable(),
    link: z.string().startsWith('/'),
    expiresAt: z.iso.datetime(),
  }),
});
export const passwordResetRequested = defineEvent('user.password-reset.requested', {
  aggregateType: 'User',
  payload: z.object({ userId: z.string(), link: z.string().startsWith('/'), expiresAt: z.iso.datetime() }),
});

/** Every domain event; the workers' relay must route each of them (checked when it is built). */
export const DOMAIN_EVENTS = [
  certificateIssued,
  certificateRevoked,
  conocerSubmissionRequested,
  conocerStatusChanged,
  impactEventsChanged,
  enrollmentCreated,
  impactEventVerified,
  orderPaid,
  orderFailed,
  orderRefunded,
  evidenceReviewed,
  evaluationDecided,
  courseReviewed,
  userInvited,
  passwordResetRequested,
] as const;

export type DomainEvents = typeof DOMAIN_EVENTS;
