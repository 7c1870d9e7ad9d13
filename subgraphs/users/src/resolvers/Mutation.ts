import { settingsOf, updatedSettings } from '../tenants/tenant-settings';
import { attaching } from '../accounts/attached-files';
import { updateProfile } from '../accounts/profile';
import type { MutationResolvers } from '../generated/resolvers-types';

export const Mutation: MutationResolvers = {
  signUp: async (_parent, { input }, context) => {
    const result = await context.auth.signUp(input, settingsOf((await context.tenants.current())!).selfSignUp);
    // The rest of this request sees the new account as its viewer (e.g. `user { email }`).
    context.viewer = { userId: result.user.id, tenantId: context.tenant.id, persona: result.user.persona };
    return result;
  },
  login: async (_parent, { email, password }, context) => {
    // A request without the client's address (not through a gateway's HTTP) counts under 'unknown'.
    const result = await context.auth.login(email, password, context.clientAddress ?? 'unknown');
    context.viewer = { userId: result.user.id, tenantId: context.tenant.id, persona: result.user.persona };
    return result;
  },
  refreshToken: async (_parent, { refreshToken }, context) => {
    const result = await context.sessions.refresh(refreshToken);
    context.viewer = { userId: result.user.id, tenantId: context.tenant.id, persona: result.user.persona };
    return result;
  },
  logout: (_parent, { refreshToken }, { sessions }) => sessions.logout(refreshToken),
  // Permissions (persona, who may grant PLATFORM_ADMIN, membership of the tenant) are checked by graphql-shield before these run.
  setUserPersona: (_parent, { userId, persona }, { accounts, viewer }) => accounts.setPersona(userId, persona, viewer!),
  updateTenantSettings: async (_parent, { input }, { tenants }) => {
    const settings = updatedSettings((await tenants.current())!, input);
    return attaching('logoFileId', () => tenants.saveSettings(settings, input.logoFileId));
  },
  suspendUser: (_parent, { id, reason }, { accounts, viewer }) => accounts.suspend(id, reason, viewer!),
  reactivateUser: (_parent, { id }, { accounts, viewer }) => accounts.reactivate(id, viewer!),
  updateMyProfile: (_parent, { input }, { viewer, users }) => updateProfile(users, viewer!.userId, input),
  inviteUser: (_parent, { email, name, persona }, { viewer, links }) => links.invite({ email, name, persona }, viewer!.userId),
  acceptInvitation: async (_parent, { token, password }, context) => {
    const result = await context.links.acceptInvitation(token, password);
    context.viewer = { userId: result.user.id, tenantId: context.tenant.id, persona: result.user.persona };
    return result;
  },
  createTenant: (_parent, { input }, { tenantAdministration, viewer }) => tenantAdministration.create(input, viewer!),
  suspendTenant: (_parent, { id, reason }, { tenantAdministration, viewer }) => tenantAdministration.suspend(id, reason, viewer!),
  reactivateTenant: (_parent, { id }, { tenantAdministration, viewer }) => tenantAdministration.reactivate(id, viewer!),
  createApiKey: (_parent, { name, scopes }, { apiKeys, viewer }) => apiKeys.create(name, scopes, viewer!),
  revokeApiKey: (_parent, { id }, { apiKeys, viewer }) => apiKeys.revoke(id, viewer!),
  requestPasswordReset: (_parent, { email }, { links }) => links.requestPasswordReset(email),
  resetPassword: async (_parent, { token, newPassword }, context) => {
    const result = await context.links.resetPassword(token, newPassword);
    context.viewer = { userId: result.user.id, tenantId: context.tenant.id, persona: result.user.persona };
    return result;
  },
};
