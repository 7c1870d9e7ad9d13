import type { Database } from '@academy/platform';
import type { ObjectStorage } from '@academy/storage';
import { AbandonedFileRepository, FileRepository } from '../repositories/file-repository';
import { uploadKeyOf } from './file-uploads';

export interface AbandonedUploadsOptions {
  now?: Date;
  /** How long past its upload URL's expiry a PENDING file is kept (a PUT may have been under way); default one hour. */
  graceMs?: number;
  /** At most this many files per run; default 500. */
  limit?: number;
}

/**
 * The maintenance job's part of media: uploads never completed before their URL expired (plus
 * the grace) and refused ones lose their bytes and their row, each in its own tenant; READY
 * files whose URL just expired lose whatever was PUT to it after their check (never served).
 */
export async function deleteAbandonedUploads(
  database: Database,
  storage: ObjectStorage,
  options: AbandonedUploadsOptions = {},
): Promise<{ found: number; deleted: number }> {
  const expiredBefore = new Date((options.now ?? new Date()).getTime() - (options.graceMs ?? 60 * 60 * 1000));
  const abandoned = await new AbandonedFileRepository(database).list(expiredBefore, options.limit ?? 500);
  let deleted = 0;
  for (const file of abandoned) {
    if (file.status === 'READY') {
      await storage.delete(uploadKeyOf(file.storage_key));
      continue;
    }
    const files = new FileRepository(database.forTenant(file.tenant_id));
    const deleteBytes = async () => {
      await storage.delete(uploadKeyOf(file.storage_key));
      await storage.delete(file.storage_key);
    };
    if (await files.deleteAbandoned(file.id, expiredBefore, deleteBytes)) deleted += 1;
  }
  return { found: abandoned.filter((file) => file.status !== 'READY').length, deleted };
}
