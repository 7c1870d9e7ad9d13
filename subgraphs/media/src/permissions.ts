import { and, type IRules } from 'graphql-shield';
import { everyone, federationRules, forType, isSelf, memberOfTenant, signedIn, viewerRule } from '@academy/permissions';
import { NotFoundError, Persona, type UploadPurpose } from '@academy/platform';
import type { SubgraphContext } from './context';
import { seesFile } from './uploads/file-access';

/** A file by id: whoever seesFile allows; an unknown (or another tenant's) id is not refused, it is null. */
const seesThisFile = viewerRule<unknown, { id: string }, SubgraphContext>(
  'media:seesFile',
  "Only the file's owner and those who may see what it is for see this file",
  async (viewer, _parent, { id }, { loaders }) => {
    const file = await loaders.file.load(id);
    return file === null || seesFile(viewer, file);
  },
);

/** The tenant's logo is its admins'; every other purpose is any member's. */
const uploadsForPurpose = viewerRule<unknown, { purpose: UploadPurpose }>(
  'media:uploadsForPurpose',
  'Only tenant admins upload the tenant logo',
  (viewer, _parent, { purpose }) => purpose !== 'TENANT_LOGO' || viewer.persona === Persona.TENANT_ADMIN,
);

/** completeUpload: the person who asked for the upload, nobody else. */
const completesThisFile = viewerRule<unknown, { id: string }, SubgraphContext>(
  'media:completesFile',
  'Only the person who uploaded a file completes it',
  async (viewer, _parent, { id }, { loaders }) => {
    const file = await loaders.file.load(id);
    if (!file) throw new NotFoundError('File');
    return isSelf(viewer, file.ownerId);
  },
);

/** Every type has a rule (a field added later gets its type's); graphql-shield denies anything else. */
export const permissions: IRules = {
  Query: { ...federationRules.Query, file: seesThisFile },
  Mutation: { createUpload: and(memberOfTenant, uploadsForPurpose), completeUpload: completesThisFile },
  _Service: federationRules._Service,
  // Reached only through a rule above or __resolveReference, which returns only files seesFile allows.
  File: forType(signedIn),
  UploadTicket: forType(signedIn),
  // A tenant's logo is public (shown before sign-in).
  TenantBranding: forType(everyone),
};
