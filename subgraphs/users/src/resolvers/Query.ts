import { brandingOf } from '../tenants/tenant-settings';
import { meOf, NotFoundError } from '@academy/platform';
import type { QueryResolvers } from '../generated/resolvers-types';

export const Query: QueryResolvers = {
  // Null also when the gateway found no user for the token (meOf), as the other subgraphs' me.
  me: (_parent, _args, { viewer, loaders }) => {
    const me = meOf(viewer);
    return me ? loaders.user.load(me.id) : null;
  },
  viewerTenant: (_parent, _args, { tenants }) => tenants.current(),
  tenantBranding: async (_parent, _args, { tenants }) => brandingOf((await tenants.current())!),
  user: async (_parent, { id }, { loaders }) => (await loaders.user.load(id)) ?? Promise.reject(new NotFoundError('User')),
  users: (_parent, args, { users }) => users.page(args),
  communities: (_parent, _args, { communities }) => communities.list(),
  apiKeys: (_parent, _args, { apiKeys }) => apiKeys.list(),
  tenants: (_parent, args, { tenantAdministration, viewer }) => tenantAdministration.list(args, viewer!),
};
