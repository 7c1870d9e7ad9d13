import { randomUUID } from 'node:crypto';
import { BadUserInputError, ConflictError, NotFoundError, type File, type UploadPurpose, type Viewer } from '@academy/platform';
import { SNIFF_BYTES, type ObjectStorage } from '@academy/storage';
import type { UploadTicketModel } from '../models';
import type { FileRepository } from '../repositories/file-repository';
import { sizeProblem, typeProblem } from './upload-check';
import { checkDeclaredUpload } from './upload-limits';

/** Where a file's bytes live: namespaced by tenant and purpose, never derived from the client's file name. */
export function storageKeyOf(tenantId: string, purpose: UploadPurpose, fileId: string): string {
  return `${tenantId}/${purpose.toLowerCase()}/${fileId}`;
}

/**
 * Where the client PUTs them: the upload URL stays valid until it expires, so the bytes that are
 * checked, and served, are a copy under the storage key, which no URL can write.
 */
export function uploadKeyOf(storageKey: string): string {
  return `${storageKey}.upload`;
}

/**
 * Uploads straight to object storage: a PENDING file and a presigned PUT; after the PUT, the
 * stored bytes are checked (size, type sniffed from the first bytes) before the file is READY.
 * A refused file keeps its row (REJECTED, with the reason) and loses its bytes.
 */
export class FileUploads {
  constructor(
    private readonly files: FileRepository,
    private readonly storage: ObjectStorage,
  ) {}

  async create(
    owner: Viewer,
    input: { purpose: UploadPurpose; fileName: string; contentType: string; byteSize: number },
  ): Promise<UploadTicketModel> {
    const declared = checkDeclaredUpload(input);
    const id = randomUUID();
    const storageKey = storageKeyOf(this.files.tenantId, declared.purpose, id);
    const upload = await this.storage.presignUpload(uploadKeyOf(storageKey), {
      contentType: declared.contentType,
      byteSize: declared.byteSize,
    });
    const file = await this.files.create({ id, ownerId: owner.userId, ...declared, storageKey, uploadExpiresAt: upload.expiresAt });
    return { file, uploadUrl: upload.url, headers: upload.headers, expiresAt: upload.expiresAt };
  }

  /**
   * The owner's "I have uploaded it": READY, or BAD_USER_INPUT with why it was refused. Repeating
   * it (also at the same time: one after the other, under the file's lock) answers the same.
   */
  async complete(file: File): Promise<File> {
    if (file.status !== 'PENDING') return settled(file);
    return settled(await this.files.whileLocked(file.id, () => this.check(file.id)));
  }

  /** Under the file's lock: copies what was uploaded to the storage key and checks that copy. */
  private async check(id: string): Promise<File> {
    const file = await this.current(id);
    if (file.status !== 'PENDING') return file;
    const incoming = uploadKeyOf(file.storageKey);
    if (await this.storage.stat(incoming)) {
      await this.storage.copy(incoming, file.storageKey);
      await this.storage.delete(incoming);
    }
    const stored = await this.storage.stat(file.storageKey);
    if (!stored) {
      throw new ConflictError(
        Date.now() > file.uploadExpiresAt.getTime()
          ? 'The upload URL expired before the file was uploaded; ask for a new one'
          : 'Nothing uploaded yet: PUT the file to the upload URL first',
      );
    }
    const problem = sizeProblem(file, stored) ?? typeProblem(file, await this.storage.readStart(file.storageKey, SNIFF_BYTES));
    if (problem) {
      // Its row says why; its bytes go (should the delete fail, the maintenance job deletes a REJECTED file's).
      await this.storage.delete(file.storageKey).catch(() => undefined);
      return (await this.files.markRejected(file.id, problem))!;
    }
    return (await this.files.markReady(file.id, new Date()))!;
  }

  /** A short-lived signed download URL; CONFLICT while the file is not READY. */
  downloadUrl(file: File): Promise<string> {
    if (file.status === 'PENDING') throw new ConflictError('The file is not ready: its upload has not been completed');
    if (file.status === 'REJECTED') throw new ConflictError(`The file is not ready: it was refused (${file.rejectionReason})`);
    return this.storage.presignDownload(file.storageKey, { fileName: file.name, contentType: file.contentType });
  }

  private async current(id: string): Promise<File> {
    const file = await this.files.findById(id);
    if (!file) throw new NotFoundError('File');
    return file;
  }
}

/** A completed file as completeUpload answers it: itself when READY, its refusal when REJECTED. */
function settled(file: File): File {
  if (file.status === 'REJECTED') throw new BadUserInputError(file.rejectionReason ?? 'The file was refused');
  if (file.status === 'PENDING') throw new ConflictError('The upload is still being checked');
  return file;
}
