import { BadUserInputError } from '@academy/platform';

/** What a caller is told when a file id is not one that may be attached there. */
export const ATTACHED_FILE_MESSAGE = {
  avatarFileId: 'must be a READY AVATAR file you uploaded (createUpload, then completeUpload)',
  logoFileId: 'must be a READY TENANT_LOGO file of this academy (createUpload, then completeUpload)',
} as const;

/**
 * Runs a write that attaches a media file (an avatar, a logo). The database checks the file (a
 * trigger: READY, of the purpose, of the tenant, an avatar the user's own); its refusal is the
 * caller's BAD_USER_INPUT.
 */
export async function attaching<T>(field: keyof typeof ATTACHED_FILE_MESSAGE, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (refusedAttachment(error)) throw new BadUserInputError('Invalid file', [{ field, message: ATTACHED_FILE_MESSAGE[field] }]);
    throw error;
  }
}

function refusedAttachment(error: unknown): boolean {
  const text = `${(error as Error)?.message ?? ''} ${JSON.stringify((error as { meta?: unknown })?.meta ?? {})}`;
  return /is not a READY (AVATAR|TENANT_LOGO) file/.test(text);
}
