import type { IRules } from 'graphql-shield';
import {
  ADMINS,
  everyone,
  federationRules,
  forType,
  hasPersona,
  isAdmin,
  isSelfOrStaff,
  seesLearningRecord,
  signedIn,
  viewerRule,
} from '@academy/permissions';
import { NotFoundError, Persona } from '@academy/platform';
import type { SubgraphContext } from './context';
import type { EnrollmentReference, UserReference } from './models';

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

/** dc3s: TENANT_ADMIN (any person's); a LEARNER their own (no userId, or their own). */
const seesDc3s = viewerRule<unknown, { userId?: string | null }>(
  'certifications:seesDc3s',
  'Only tenant admins see DC-3s; a learner sees their own',
  (viewer, _parent, { userId }) =>
    isAdmin(viewer) || (viewer.persona === Persona.LEARNER && (userId === null || userId === undefined || userId === viewer.userId)),
);

/** Enrollment.dc3: the enrollment's learner and TENANT_ADMIN (whether it has one or not). */
const seesEnrollmentDc3 = viewerRule<EnrollmentReference, unknown, SubgraphContext>(
  'certifications:seesEnrollmentDc3',
  "Only the learner and tenant admins see an enrollment's DC-3",
  async (viewer, enrollment, _args, { loaders }) =>
    isAdmin(viewer) || (await loaders.learnerOfEnrollment.load(enrollment.id)) === viewer.userId,
);

/** Every type has a rule (a field added later gets its type's); graphql-shield denies anything else. */
export const permissions: IRules = {
  Query: {
    ...federationRules.Query,
    me: everyone,
    certificate: seesCertificate,
    verifyCertificate: everyone,
    credentialStatusList: everyone,
    dc3s: seesDc3s,
  },
  // The DC-3 records who issued it: an admin of the tenant itself.
  Mutation: { revokeCertificate: hasPersona(...ADMINS), issueDc3: hasPersona(Persona.TENANT_ADMIN) },
  _Service: federationRules._Service,
  // Each way to a certificate checks who asks (certificate(id), User.certificates, _entities): whoever
  // reaches one may read all of it, pdfUrl included.
  Certificate: forType(signedIn),
  CertificateVerification: forType(everyone),
  User: forType(everyone, { certificates: selfOrStaff }),
  Course: forType(everyone),
  Dc3: forType(signedIn),
  Enrollment: forType(signedIn, { dc3: seesEnrollmentDc3 }),
  // Resolved only for the request's own tenant (resolvers/TenantAnalytics.ts).
  TenantAnalytics: forType(hasPersona(...ADMINS)),
};
