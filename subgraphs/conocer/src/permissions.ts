import { and, rule, type IRules } from 'graphql-shield';
import { ADMINS, everyone, federationRules, hasPersona, ruleForFields as fields, signedIn } from '@academy/graphql-http';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '@academy/platform';
import type { SubgraphContext } from './context';

/** requestConocerCertification: the certificate's learner only. */
const ownsCertificate = rule('conocer:ownsCertificate', { cache: 'strict' })(async (_parent, args: { certificateId: string }, context: SubgraphContext) => {
  if (!context.viewer) return new UnauthenticatedError();
  const certificate = await context.facts.certificate(args.certificateId);
  if (!certificate) return new NotFoundError('Certificate');
  return certificate.learnerId === context.viewer.userId ? true : new ForbiddenError("Only the certificate's learner may request this");
});

/** Every field, explicitly; anything else is denied. */
export const permissions: IRules = {
  Query: {
    ...federationRules.Query,
    certificationStatusEvent: signedIn,
    competencyStandards: everyone,
    competencyStandard: everyone,
    conocerSubmissions: hasPersona('EVALUATOR', ...ADMINS),
    conocerSyncStatus: hasPersona(...ADMINS),
    solarpunkCompliance: signedIn,
  },
  Mutation: {
    requestConocerCertification: and(hasPersona('LEARNER'), ownsCertificate),
    retryConocerSubmission: hasPersona(...ADMINS),
    syncCompetencyStandards: hasPersona('PLATFORM_ADMIN'),
  },
  _Service: federationRules._Service,
  // Served by the gateway over graphql-ws; a subgraph never executes subscriptions.
  Subscription: { certificationStatusChanged: signedIn },
  CertificationStatusEvent: fields(['certificate', 'submission', 'status', 'previousStatus', 'reason', 'occurredAt'], signedIn),
  CompetencyStandard: fields(['code', 'title', 'level', 'sector', 'committee', 'updatedAt'], everyone),
  CompetencyStandardConnection: fields(['edges', 'pageInfo', 'totalCount'], everyone),
  CompetencyStandardEdge: fields(['cursor', 'node'], everyone),
  PageInfo: fields(['hasNextPage', 'endCursor'], everyone),
  ConocerSubmission: fields(['id', 'certificate', 'standard', 'status', 'folio', 'rejectionReason', 'attempts', 'history', 'createdAt', 'updatedAt'], signedIn),
  ConocerStatusChange: fields(['status', 'reason', 'occurredAt'], signedIn),
  ConocerSyncStatus: fields(['lastStandardsSyncAt', 'standardsCount', 'pendingSubmissions', 'failedSubmissions', 'circuit'], hasPersona(...ADMINS)),
  ComplianceReport: fields(['compliant', 'score', 'issues'], signedIn),
  ComplianceIssue: fields(['rule', 'message'], signedIn),
  Course: { id: everyone, competencyStandardCode: everyone, competencyStandard: everyone },
  Certificate: { id: signedIn, conocerStatus: signedIn, conocerSubmission: signedIn },
};
