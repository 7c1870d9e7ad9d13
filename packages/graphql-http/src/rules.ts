import { allow, and, rule, type IRule } from 'graphql-shield';
import { ForbiddenError, UnauthenticatedError, type Persona, type Viewer } from '@academy/platform';

interface RuleContext {
  viewer: Viewer | null;
  signedByGateway: boolean;
}

/** Public: anyone, with or without a token (login, the catalogue, certificate verification). */
export const everyone = allow;

/** Any signed-in user of the request's tenant (or a platform admin acting on it). */
export const signedIn = rule('signedIn', { cache: 'contextual' })((_parent, _args, context: RuleContext) =>
  context.viewer ? true : new UnauthenticatedError(),
);

const personaRules = new Map<string, IRule>();

/** Signed in with one of these personas: UNAUTHENTICATED without a token, FORBIDDEN with another persona. */
export function hasPersona(...personas: Persona[]): IRule {
  // graphql-shield wants one rule instance per name.
  const name = `persona:${[...personas].sort().join(',')}`;
  const existing = personaRules.get(name);
  if (existing) return existing;
  const created = rule(name, { cache: 'contextual' })((_parent, _args, context: RuleContext) => {
    if (!context.viewer) return new UnauthenticatedError();
    return personas.includes(context.viewer.persona) ? true : new ForbiddenError();
  });
  personaRules.set(name, created);
  return created;
}

/** Federation's own fields (`_entities`, `_service`): only for requests the gateway signed. */
export const gatewayOnly = rule('gatewayOnly', { cache: 'contextual' })((_parent, _args, context: RuleContext) =>
  context.signedByGateway ? true : new ForbiddenError('Only the gateway may query this'),
);

/** The rules of federation's own types and fields, for every subgraph's rule tree. */
export const federationRules = {
  Query: { _entities: gatewayOnly, _service: gatewayOnly },
  _Service: { sdl: gatewayOnly },
};

export const ADMINS: Persona[] = ['TENANT_ADMIN', 'PLATFORM_ADMIN'];

/** Any rule graphql-shield takes: a rule or a logic rule (and, or, ...). */
export type Permission = Parameters<typeof and>[0];

/** The same rule for several fields of a type. */
export function ruleForFields(fields: string[], permission: Permission): Record<string, Permission> {
  return Object.fromEntries(fields.map((field) => [field, permission]));
}
