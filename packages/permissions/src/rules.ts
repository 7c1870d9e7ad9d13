import { allow, and, rule, type IRule } from 'graphql-shield';
import { ForbiddenError, UnauthenticatedError, type Persona, type TenantRef, type Viewer } from '@academy/platform';
import { isMemberOf } from './predicates';

/** What every rule reads of a subgraph's context. */
export interface RuleContext {
  tenant: TenantRef;
  viewer: Viewer | null;
  /** Set by the subgraph service from the request's gateway signature, never by a context factory. */
  signedByGateway: boolean;
}

/** Any rule graphql-shield takes: a rule or a logic rule (and, or, ...). */
export type Permission = Parameters<typeof and>[0];

/** Public: anyone, with or without a token (login, the catalogue, certificate verification). */
export const everyone = allow;

/** Any signed-in user of the request's tenant (or a platform admin acting on it). */
export const signedIn = rule('signedIn', { cache: 'contextual' })((_parent, _args, context: RuleContext) =>
  context.viewer ? true : new UnauthenticatedError(),
);

/** Signed in as a person of the request's tenant: a platform admin of another tenant is not one. */
export const memberOfTenant = rule('memberOfTenant', { cache: 'contextual' })((_parent, _args, context: RuleContext) => {
  if (!context.viewer) return new UnauthenticatedError();
  return isMemberOf(context.viewer, context.tenant.id) ? true : new ForbiddenError('Only people of this tenant do this here');
});

const personaRules = new Map<string, IRule>();

/** Signed in with one of these personas: UNAUTHENTICATED without a token, FORBIDDEN with another persona. */
export function hasPersona(...personas: readonly Persona[]): IRule {
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

/**
 * A rule of the signed-in viewer: UNAUTHENTICATED without one, FORBIDDEN with `message` when
 * `allowed` says no; an error `allowed` throws (NOT_FOUND of what the arguments name) is the answer.
 */
export function viewerRule<Parent = unknown, Args = Record<string, unknown>, Context extends RuleContext = RuleContext>(
  name: string,
  message: string,
  allowed: (viewer: Viewer, parent: Parent, args: Args, context: Context) => boolean | Promise<boolean>,
  cache: 'strict' | 'contextual' = 'strict',
): IRule {
  return rule(name, { cache })(async (parent: Parent, args: Args, context: Context) => {
    if (!context.viewer) return new UnauthenticatedError();
    try {
      return (await allowed(context.viewer, parent, args, context)) ? true : new ForbiddenError(message);
    } catch (error) {
      return error as Error;
    }
  });
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

/**
 * One rule for every field of a type, with overrides for some: a field added to the type later
 * gets the type's rule without anyone listing it.
 */
export function forType(permission: Permission, overrides: Record<string, Permission> = {}): Record<string, Permission> {
  return { '*': permission, ...overrides };
}
