import {
  certificateIssued,
  certificateRevoked,
  conocerStatusChanged,
  courseReviewed,
  enrollmentCreated,
  evaluationDecided,
  evidenceReviewed,
  impactEventVerified,
  orderFailed,
  orderPaid,
  orderRefunded,
  passwordResetRequested,
  userInvited,
  type PayloadOf,
} from '@academy/events';
import type { NotificationKind } from '@academy/platform';
import type { FactsRepository } from '../repositories/facts-repository';
import type { NotificationFacts } from './messages';

/** A notification to make: for whom, of what kind, with which facts, linking where. */
export interface NotificationDraft {
  userId: string;
  kind: NotificationKind;
  facts: NotificationFacts;
  link: string | null;
}

/** The domain events that tell somebody something. */
export const NOTIFYING_EVENTS = [
  certificateIssued,
  certificateRevoked,
  conocerStatusChanged,
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

export type NotifyingEvent = (typeof NOTIFYING_EVENTS)[number];

type Drafting = {
  [Definition in NotifyingEvent as Definition['type']]: (
    payload: PayloadOf<Definition>,
    facts: FactsRepository,
  ) => Promise<NotificationDraft[]>;
};

/** CONOCER statuses a learner is told about (PENDING and IN_REVIEW are steps on the way). */
const TOLD_CONOCER_STATUSES = new Set(['SUBMITTED', 'APPROVED', 'REJECTED', 'FAILED']);

const order =
  (kind: NotificationKind) =>
  async (payload: PayloadOf<typeof orderPaid> & { reason?: string | null }, facts: FactsRepository): Promise<NotificationDraft[]> => [
    {
      userId: payload.buyerId,
      kind,
      facts: {
        ...(await facts.course(payload.courseId)),
        amountCents: payload.totalCents,
        currency: payload.currency,
        reason: payload.reason ?? null,
      },
      link: `/orders/${payload.orderId}`,
    },
  ];

/** Who each event tells, and what. */
export const DRAFTING: Drafting = {
  [certificateIssued.type]: async (payload, facts) => {
    const { revoked: _revoked, ...certificate } = await facts.certificate(payload.certificateId);
    return [{ userId: payload.learnerId, kind: 'CERTIFICATE_ISSUED', facts: certificate, link: `/certificates/${payload.certificateId}` }];
  },
  [certificateRevoked.type]: async (payload, facts) => {
    const { revoked: _revoked, ...certificate } = await facts.certificate(payload.certificateId);
    return [
      {
        userId: payload.learnerId,
        kind: 'CERTIFICATE_REVOKED',
        facts: { ...certificate, reason: payload.reason },
        link: `/certificates/${payload.certificateId}`,
      },
    ];
  },
  [conocerStatusChanged.type]: async (payload, facts) => {
    if (!TOLD_CONOCER_STATUSES.has(payload.status)) return [];
    const { revoked, ...certificate } = await facts.certificate(payload.certificateId);
    // A revoked certificate's submission is withdrawn: the revocation told the learner already.
    if (revoked) return [];
    return [
      {
        userId: payload.learnerId,
        kind: 'CONOCER_STATUS',
        facts: { ...certificate, ...(await facts.statusChange(payload.changeId)), status: payload.status },
        link: `/certificates/${payload.certificateId}`,
      },
    ];
  },
  [enrollmentCreated.type]: async (payload, facts) => [
    { userId: payload.learnerId, kind: 'ENROLLED', facts: await facts.course(payload.courseId), link: `/courses/${payload.courseId}` },
  ],
  [impactEventVerified.type]: async (payload) => [
    { userId: payload.userId, kind: 'IMPACT_VERIFIED', facts: { description: payload.description }, link: '/impact' },
  ],
  [orderPaid.type]: order('ORDER_PAID'),
  [orderFailed.type]: order('ORDER_FAILED'),
  [orderRefunded.type]: order('ORDER_REFUNDED'),
  [evidenceReviewed.type]: async (payload, facts) => [
    {
      userId: payload.learnerId,
      kind: 'EVIDENCE_REVIEWED',
      facts: { ...(await facts.course(payload.courseId)), accepted: payload.accepted, comment: payload.comment },
      link: `/portfolios/${payload.portfolioId}`,
    },
  ],
  [evaluationDecided.type]: async (payload, facts) => [
    {
      userId: payload.learnerId,
      kind: 'EVALUATION_DECIDED',
      facts: { ...(await facts.course(payload.courseId)), judgement: payload.judgement, comment: payload.comment },
      link: `/portfolios/${payload.portfolioId}`,
    },
  ],
  [courseReviewed.type]: async (payload, facts) => [
    {
      userId: payload.instructorId,
      kind: 'REVIEW_RECEIVED',
      facts: { ...(await facts.course(payload.courseId)), rating: payload.rating },
      link: `/courses/${payload.courseId}/reviews`,
    },
  ],
  [userInvited.type]: async (payload, facts) => [
    { userId: payload.userId, kind: 'INVITATION', facts: { tenantName: await facts.tenantName() }, link: payload.link },
  ],
  [passwordResetRequested.type]: async (payload) => [{ userId: payload.userId, kind: 'PASSWORD_RESET', facts: {}, link: payload.link }],
};
