import { isAdmin, isMemberOf, isSelf, isStaff } from '@academy/permissions';
import type { File, UploadPurpose, Viewer } from '@academy/platform';

/** Purposes whose files every member of the tenant sees once they are ready (what they belong to is shown to all). */
const SHARED_WITH_TENANT: readonly UploadPurpose[] = ['AVATAR', 'TENANT_LOGO', 'LESSON_ATTACHMENT'];

/**
 * Who sees a file: its owner and the tenant's admins always; once READY, every member of the
 * tenant for avatars, logos and lesson attachments, and evaluators for evidence.
 */
export function seesFile(viewer: Viewer | null, file: Pick<File, 'tenantId' | 'ownerId' | 'purpose' | 'status'>): boolean {
  if (isSelf(viewer, file.ownerId) || isAdmin(viewer)) return true;
  if (file.status !== 'READY') return false;
  return SHARED_WITH_TENANT.includes(file.purpose) ? isMemberOf(viewer, file.tenantId) : isStaff(viewer);
}
