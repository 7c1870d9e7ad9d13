import { and, type IRules } from 'graphql-shield';
import {
  ADMINS,
  everyone,
  federationRules,
  forType,
  hasPersona,
  isSelf,
  isSelfOrStaff,
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

/** A status change (the live subscription's events): the certificate's learner and staff. */
const seesStatusChange = viewerRule<unknown, { id: string }, SubgraphContext>(
  'conocer:seesStatusChange',
  "Only the certificate's learner and staff see this",
  async (viewer, _parent, { id }, { loaders }) => {
    const change = await loaders.statusChange.load(id);
    const submission = change ? await loaders.submission.load(change.submissionId) : null;
    if (!submission) throw new NotFoundError('Status change');
    return isSelfOrStaff(viewer, submission.requestedById);
  },
);

/** Every type has a rule (a field added later gets its type's); graphql-shield denies anything else. */
export const permissions: IRules = {
  Query: {
    ...federationRules.Query,
    certificationStatusEvent: seesStatusChange,
    competencyStandards: everyone,
    competencyStandard: everyone,
    conocerSubmissions: hasPersona(...STAFF),
    conocerSyncStatus: hasPersona(...ADMINS),
    solarpunkCompliance: signedIn,
  },
  Mutation: {
    requestConocerCertification: and(hasPersona(Persona.LEARNER), ownsCertificate),
    retryConocerSubmission: hasPersona(...ADMINS),
    syncCompetencyStandards: hasPersona(Persona.PLATFORM_ADMIN),
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
};
