import type { TenantBrandingResolvers } from '../generated/resolvers-types';

export const TenantBranding: TenantBrandingResolvers = {
  __resolveReference: (reference) => reference,
  // A logo is public: no viewer is asked for. Only a READY TENANT_LOGO file of the request's tenant.
  logoUrl: async (branding, _args, { loaders, uploads, tenant }) => {
    if (!branding.logoFileId || branding.tenantId !== tenant.id) return null;
    const file = await loaders.file.load(branding.logoFileId);
    return file && file.purpose === 'TENANT_LOGO' && file.status === 'READY' ? uploads.downloadUrl(file) : null;
  },
};
