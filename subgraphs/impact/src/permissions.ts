import { rule, type IRules } from 'graphql-shield';
import { ADMINS, federationRules, hasPersona, ruleForFields, signedIn } from '@academy/graphql-http';
import { ForbiddenError, UnauthenticatedError } from '@academy/platform';
import type { SubgraphContext } from './context';
import type { UserReference } from './models';

/** A person's own impact: the person and their tenant's admins. */
const selfOrAdmin = rule('impact:selfOrAdmin', { cache: 'strict' })((user: UserReference, _args, context: SubgraphContext) => {
  if (!context.viewer) return new UnauthenticatedError();
  return user.id === context.viewer.userId || ADMINS.includes(context.viewer.persona) ? true : new ForbiddenError('Only the person and admins see this');
});

/** Every field, explicitly; anything else is denied. Scope rules of impactReport are in its resolver. */
export const permissions: IRules = {
  Query: { ...federationRules.Query, impactReport: signedIn, impactEvents: signedIn },
  Mutation: { recordImpactEvent: signedIn, verifyImpactEvent: hasPersona('EVALUATOR', ...ADMINS) },
  _Service: federationRules._Service,
  ImpactEvent: ruleForFields(['id', 'type', 'user', 'description', 'verification', 'occurredAt', 'contributions', 'quantities'], signedIn),
  ImpactScore: ruleForFields(['dimension', 'score'], signedIn),
  ImpactTrendPoint: ruleForFields(['periodStart', 'overall', 'eventCount', 'scores', 'participantCount'], signedIn),
  ImpactReport: ruleForFields(['scope', 'period', 'from', 'to', 'overall', 'scores', 'eventCount', 'participantCount', 'trend'], signedIn),
  User: { id: signedIn, impact: selfOrAdmin },
  Community: { id: signedIn, impact: signedIn },
};
