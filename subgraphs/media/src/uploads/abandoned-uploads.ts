import type { Database } from '@academy/platform';
import type { ObjectStorage } from '@academy/storage';
import { AbandonedFileRepository, FileRepository } from '../repositories/file-repository';

export interface AbandonedUploadsOptions {
  now?: Date;
  /** How long past its upload URL's expiry a PENDING file is kept (a PUT may have been under way); default one hour. */
  graceMs?: number;
  /** At most this many files per run; default 500. */
  limit?: number;
}

/**
 * The maintenance job's part of media: uploads never completed before their URL expired (plus
 * the grace) and refused ones lose their bytes and their row, each in its own tenant.
 */
export async function deleteAbandonedUploads(
  database: Database,
  storage: ObjectStorage,
  options: AbandonedUploadsOptions = {},
): Promise<{ deleted: number }> {
  const expiredBefore = new Date((options.now ?? new Date()).getTime() - (options.graceMs ?? 60 * 60 * 1000));
  const abandoned = await new AbandonedFileRepository(database).list(expiredBefore, options.limit ?? 500);
  let deleted = 0;
  for (const file of abandoned) {
    const files = new FileRepository(database.forTenant(file.tenant_id));
    if (await files.deleteAbandoned(file.id, expiredBefore, () => storage.delete(file.storage_key))) deleted += 1;
  }
  return { deleted };
}
