import { and, type IRules } from 'graphql-shield';
import {
  ADMINS,
  assignsPersona,
  everyone,
  federationRules,
  forType,
  hasPersona,
  isSelfOrAdmin,
  memberOfTenant,
  signedIn,
  viewerRule,
} from '@academy/permissions';
import { NotFoundError, type Persona, type User } from '@academy/platform';
import type { SubgraphContext } from './context';

/** A user's email and CURP: the user themselves, their tenant's admins and platform admins. */
const selfOrAdmin = viewerRule<User>('users:selfOrAdmin', 'Only the user and admins see this', (viewer, user) =>
  isSelfOrAdmin(viewer, user.id),
);

/** setUserPersona: PLATFORM_ADMIN is granted and removed by platform admins only. */
const assignsThisPersona = viewerRule<unknown, { userId: string; persona: Persona }, SubgraphContext>(
  'users:assignsPersona',
  'Only a platform admin grants or removes PLATFORM_ADMIN',
  async (viewer, _parent, { userId, persona }, { loaders }) => {
    const target = await loaders.user.load(userId);
    if (!target) throw new NotFoundError('User');
    return assignsPersona(viewer, { from: target.persona, to: persona });
  },
);

/** inviteUser: the persona given is one the viewer may grant (PLATFORM_ADMIN only by a platform admin). */
const invitesAsThisPersona = viewerRule<unknown, { persona: Persona }>(
  'users:invitesAsPersona',
  'Only a platform admin invites a PLATFORM_ADMIN',
  (viewer, _parent, { persona }) => assignsPersona(viewer, { from: 'LEARNER', to: persona }),
);

/** Every type has a rule (a field added later gets its type's); graphql-shield denies anything else. */
export const permissions: IRules = {
  Query: {
    ...federationRules.Query,
    me: everyone,
    viewerTenant: everyone,
    tenantBranding: everyone,
    user: signedIn,
    users: hasPersona(...ADMINS),
    communities: signedIn,
    tenants: hasPersona('PLATFORM_ADMIN'),
    apiKeys: and(hasPersona(...ADMINS), memberOfTenant),
  },
  Mutation: {
    signUp: everyone,
    login: everyone,
    refreshToken: everyone,
    logout: everyone,
    setUserPersona: and(hasPersona(...ADMINS), assignsThisPersona),
    updateMyProfile: memberOfTenant,
    requestPasswordReset: everyone,
    resetPassword: everyone,
    acceptInvitation: everyone,
    inviteUser: and(hasPersona(...ADMINS), memberOfTenant, invitesAsThisPersona),
    updateTenantSettings: and(hasPersona(...ADMINS), memberOfTenant),
    suspendUser: and(hasPersona(...ADMINS), memberOfTenant),
    reactivateUser: and(hasPersona(...ADMINS), memberOfTenant),
    createTenant: hasPersona('PLATFORM_ADMIN'),
    suspendTenant: hasPersona('PLATFORM_ADMIN'),
    reactivateTenant: hasPersona('PLATFORM_ADMIN'),
    createApiKey: and(hasPersona(...ADMINS), memberOfTenant),
    revokeApiKey: and(hasPersona(...ADMINS), memberOfTenant),
  },
  _Service: federationRules._Service,
  Tenant: forType(everyone, { settings: hasPersona(...ADMINS), userCount: hasPersona('PLATFORM_ADMIN') }),
  TenantConnection: forType(hasPersona('PLATFORM_ADMIN')),
  TenantEdge: forType(hasPersona('PLATFORM_ADMIN')),
  TenantBranding: forType(everyone),
  TenantSettings: forType(hasPersona(...ADMINS)),
  User: forType(signedIn, {
    id: everyone,
    name: everyone,
    email: selfOrAdmin,
    curp: selfOrAdmin,
    status: selfOrAdmin,
    locale: selfOrAdmin,
    lastLoginAt: hasPersona(...ADMINS),
  }),
  Community: forType(signedIn),
  UserConnection: forType(signedIn),
  UserEdge: forType(signedIn),
  PageInfo: forType(everyone),
  File: forType(everyone),
  AuthPayload: forType(everyone),
  ApiKey: forType(hasPersona(...ADMINS)),
  ApiKeyCreated: forType(hasPersona(...ADMINS)),
};
