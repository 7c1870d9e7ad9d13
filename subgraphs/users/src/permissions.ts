import { rule, type IRules } from 'graphql-shield';
import { ADMINS, everyone, federationRules, hasPersona, signedIn } from '@academy/graphql-http';
import { ForbiddenError, UnauthenticatedError, type User } from '@academy/platform';
import type { SubgraphContext } from './context';

/** A user's email: the user themselves, their tenant's admins and platform admins. */
const selfOrAdmin = rule('users:selfOrAdmin', { cache: 'strict' })((user: User, _args, context: SubgraphContext) => {
  if (!context.viewer) return new UnauthenticatedError();
  return user.id === context.viewer.userId || ADMINS.includes(context.viewer.persona) ? true : new ForbiddenError('Only the user and admins see this');
});

/** Every field, explicitly; graphql-shield denies anything not listed (fallbackRule: deny). */
export const permissions: IRules = {
  Query: {
    ...federationRules.Query,
    me: everyone,
    viewerTenant: everyone,
    user: signedIn,
    users: hasPersona(...ADMINS),
    communities: signedIn,
  },
  Mutation: {
    signUp: everyone,
    login: everyone,
    setUserPersona: hasPersona(...ADMINS),
    updateMyProfile: signedIn,
  },
  _Service: federationRules._Service,
  Tenant: { id: everyone, slug: everyone, name: everyone, tier: everyone, createdAt: everyone },
  User: {
    id: everyone,
    name: everyone,
    email: selfOrAdmin,
    curp: selfOrAdmin,
    persona: signedIn,
    tenant: signedIn,
    communities: signedIn,
    createdAt: signedIn,
  },
  Community: { id: signedIn, name: signedIn, description: signedIn, memberCount: signedIn, members: signedIn },
  UserConnection: { edges: signedIn, pageInfo: signedIn, totalCount: signedIn },
  UserEdge: { cursor: signedIn, node: signedIn },
  PageInfo: { hasNextPage: everyone, endCursor: everyone },
  AuthPayload: { token: everyone, expiresAt: everyone, user: everyone },
};
