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

/** Every domain event; the workers' relay must route each of them (checked when it is built). */
export const DOMAIN_EVENTS = [
  certificateIssued,
  certificateRevoked,
  conocerSubmissionRequested,
  conocerStatusChanged,
  impactEventsChanged,
] as const;

export type DomainEvents = typeof DOMAIN_EVENTS;
