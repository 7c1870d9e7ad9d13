import { and, type IRules } from 'graphql-shield';
import {
  ADMINS,
  everyone,
  federationRules,
  forType,
  hasPersona,
  isSelf,
  isSelfOrStaff,
  isStaff,
  signedIn,
  STAFF,
  viewerRule,
} from '@academy/permissions';
import { NotFoundError, Persona } from '@academy/platform';
import type { SubgraphContext } from './context';

/** requestConocerCertification: the certificate's learner only. */
const ownsCertificate = viewerRule<unknown, { certificateId: string }, SubgraphContext>(
  'conocer:ownsCertificate',
  "Only the certificate's learner may request this",
  async (viewer, _parent, { certificateId }, { facts }) => {
    const certificate = await facts.certificate(certificateId);
    if (!certificate) throw new NotFoundError('Certificate');
    return isSelf(viewer, certificate.learnerId);
  },
);

/** A status change (the live subscription's events; `afterEventId`: the one a replay starts after): the certificate's learner and staff. */
const seesStatusChange = viewerRule<unknown, { id?: string; afterEventId?: string }, SubgraphContext>(
  'conocer:seesStatusChange',
  "Only the certificate's learner and staff see this",
  async (viewer, _parent, { id, afterEventId }, { loaders }) => {
    const change = await loaders.statusChange.load((id ?? afterEventId)!);
    const submission = change ? await loaders.submission.load(change.submissionId) : null;
    if (!submission) throw new NotFoundError('Status change');
    return isSelfOrStaff(viewer, submission.requestedById);
  },
);

/** A portfolio (by its id, the enrollment's): its learner and staff (EVALUATOR, TENANT_ADMIN). */
const seesPortfolio = viewerRule<unknown, { id: string }, SubgraphContext>(
  'conocer:seesPortfolio',
  "Only the portfolio's learner, evaluators and admins see it",
  async (viewer, _parent, { id }, { loaders }) => isSelfOrStaff(viewer, (await portfolioOf(id, loaders)).learnerId),
);

/** setEvaluationCriteria: the course's instructor, evaluators and admins. */
const setsCriteria = viewerRule<unknown, { courseId: string }, SubgraphContext>(
  'conocer:setsCriteria',
  "Only the course's instructor, evaluators and admins set its evaluation criteria",
  async (viewer, _parent, { courseId }, { portfolios }) => {
    const course = await portfolios.course(courseId);
    if (!course) throw new NotFoundError('Course');
    return isSelf(viewer, course.instructorId) || isStaff(viewer);
  },
);

/** submitEvidence: the enrollment's own learner. */
const ownsPortfolio = viewerRule<unknown, { enrollmentId: string }, SubgraphContext>(
  'conocer:ownsPortfolio',
  'Only the enrolled learner submits evidence to their portfolio',
  async (viewer, _parent, { enrollmentId }, { loaders }) => isSelf(viewer, (await portfolioOf(enrollmentId, loaders)).learnerId),
);

/** reviewEvidence: never of the reviewer's own portfolio. */
const reviewsOthersEvidence = viewerRule<unknown, { id: string }, SubgraphContext>(
  'conocer:reviewsOthersEvidence',
  'Evaluators never review their own evidence',
  async (viewer, _parent, { id }, { loaders }) => {
    const evidence = await loaders.evidence.load(id);
    if (!evidence) throw new NotFoundError('Evidence');
    return !isSelf(viewer, (await portfolioOf(evidence.portfolioId, loaders)).learnerId);
  },
);

/** judgePortfolio: never the judge's own portfolio. */
const judgesOthersPortfolio = viewerRule<unknown, { id: string }, SubgraphContext>(
  'conocer:judgesOthersPortfolio',
  'Evaluators never judge their own portfolio',
  async (viewer, _parent, { id }, { loaders }) => !isSelf(viewer, (await portfolioOf(id, loaders)).learnerId),
);

async function portfolioOf(id: string, loaders: SubgraphContext['loaders']) {
  const portfolio = await loaders.portfolio.load(id);
  if (!portfolio) throw new NotFoundError('Portfolio');
  return portfolio;
}

/** Every type has a rule (a field added later gets its type's); graphql-shield denies anything else. */
export const permissions: IRules = {
  Query: {
    ...federationRules.Query,
    certificationStatusEvent: seesStatusChange,
    certificationStatusEvents: seesStatusChange,
    certificationStatusEventsSince: signedIn,
    competencyStandards: everyone,
    competencyStandard: everyone,
    conocerSubmissions: hasPersona(...STAFF),
    conocerSyncStatus: hasPersona(...ADMINS),
    solarpunkCompliance: signedIn,
    portfolio: seesPortfolio,
    portfoliosToReview: hasPersona(Persona.EVALUATOR),
  },
  Mutation: {
    requestConocerCertification: and(hasPersona(Persona.LEARNER), ownsCertificate),
    retryConocerSubmission: hasPersona(...ADMINS),
    syncCompetencyStandards: hasPersona(Persona.PLATFORM_ADMIN),
    setEvaluationCriteria: setsCriteria,
    submitEvidence: ownsPortfolio,
    // The judgement CONOCER receives is an evaluator's: reviews and judgements are EVALUATORs' only.
    reviewEvidence: and(hasPersona(Persona.EVALUATOR), reviewsOthersEvidence),
    judgePortfolio: and(hasPersona(Persona.EVALUATOR), judgesOthersPortfolio),
  },
  _Service: federationRules._Service,
  // Served by the gateway over graphql-ws; a subgraph never executes subscriptions.
  Subscription: { certificationStatusChanged: signedIn },
  CertificationStatusEvent: forType(signedIn),
  CompetencyStandard: forType(everyone),
  CompetencyStandardConnection: forType(everyone),
  CompetencyStandardEdge: forType(everyone),
  PageInfo: forType(everyone),
  ConocerSubmission: forType(signedIn),
  ConocerStatusChange: forType(signedIn),
  ConocerSyncStatus: forType(hasPersona(...ADMINS)),
  ComplianceReport: forType(signedIn),
  ComplianceIssue: forType(signedIn),
  Course: forType(everyone),
  Certificate: forType(signedIn),
  // Resolved only for the request's own tenant (resolvers/TenantAnalytics.ts).
  TenantAnalytics: forType(hasPersona(...ADMINS)),
  // Reached only through the portfolio rules above (Enrollment.portfolio returns it to its learner and staff only).
  Enrollment: forType(signedIn),
  Portfolio: forType(signedIn),
  Evidence: forType(signedIn),
  EvaluationCriterion: forType(everyone),
  User: forType(signedIn),
  File: forType(signedIn),
};
