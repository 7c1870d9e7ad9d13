import type { IRules } from 'graphql-shield';
import {
  ADMINS,
  everyone,
  federationRules,
  forType,
  hasPersona,
  isSelfOrStaff,
  seesLearningRecord,
  signedIn,
  viewerRule,
} from '@academy/permissions';
import { NotFoundError } from '@academy/platform';
import type { SubgraphContext } from './context';
import type { UserReference } from './models';

/** A certificate by id: its learner, the course's instructor and staff. */
const seesCertificate = viewerRule<unknown, { id: string }, SubgraphContext>(
  'certifications:seesCertificate',
  'Only the learner, the course instructor and staff see this certificate',
  async (viewer, _parent, { id }, { loaders, certificates }) => {
    const certificate = await loaders.certificate.load(id);
    if (!certificate) throw new NotFoundError('Certificate');
    return seesLearningRecord(viewer, certificate, await certificates.courseInstructor(certificate.courseId));
  },
);

/** A user's certificates: the user, evaluators and admins of the tenant. */
const selfOrStaff = viewerRule<UserReference>('certifications:selfOrStaff', 'Only the user and staff see this', (viewer, user) =>
  isSelfOrStaff(viewer, user.id),
);

/** Every type has a rule (a field added later gets its type's); graphql-shield denies anything else. */
export const permissions: IRules = {
  Query: { ...federationRules.Query, certificate: seesCertificate, verifyCertificate: everyone },
  Mutation: { revokeCertificate: hasPersona(...ADMINS) },
  _Service: federationRules._Service,
  Certificate: forType(signedIn),
  CertificateVerification: forType(everyone),
  User: forType(everyone, { certificates: selfOrStaff }),
  Course: forType(everyone),
  // Resolved only for the request's own tenant (resolvers/TenantAnalytics.ts).
  TenantAnalytics: forType(hasPersona(...ADMINS)),
};
