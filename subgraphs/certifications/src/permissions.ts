import { rule, type IRules } from 'graphql-shield';
import { ADMINS, everyone, federationRules, hasPersona, ruleForFields as fields, signedIn } from '@academy/graphql-http';
import { ForbiddenError, UnauthenticatedError } from '@academy/platform';
import type { SubgraphContext } from './context';
import type { UserReference } from './models';

/** A user's certificates: the user, evaluators and admins of the tenant. */
const selfOrStaff = rule('certifications:selfOrStaff', { cache: 'strict' })((user: UserReference, _args, context: SubgraphContext) => {
  if (!context.viewer) return new UnauthenticatedError();
  return user.id === context.viewer.userId || ['EVALUATOR', ...ADMINS].includes(context.viewer.persona) ? true : new ForbiddenError('Only the user and staff see this');
});

/** Every field, explicitly; anything else is denied. */
export const permissions: IRules = {
  Query: { ...federationRules.Query, certificate: signedIn, verifyCertificate: everyone },
  Mutation: { revokeCertificate: hasPersona(...ADMINS) },
  _Service: federationRules._Service,
  Certificate: fields(['id', 'learner', 'course', 'status', 'verificationCode', 'issuedAt', 'revokedAt', 'revocationReason', 'credential'], signedIn),
  CertificateVerification: fields(
    ['valid', 'status', 'learnerName', 'courseTitle', 'tenantName', 'issuedAt', 'competencyStandardCode', 'conocerStatus'],
    everyone,
  ),
  User: { id: everyone, certificates: selfOrStaff },
  Course: { id: everyone, certificateCount: everyone },
};
