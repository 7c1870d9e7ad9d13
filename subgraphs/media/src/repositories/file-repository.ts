import type { Database, File, FileStatus, TenantScope, UploadPurpose } from '@academy/platform';

export interface NewFile {
  id: string;
  ownerId: string;
  purpose: UploadPurpose;
  name: string;
  contentType: string;
  byteSize: number;
  storageKey: string;
  uploadExpiresAt: Date;
}

/** Files of one tenant. Status changes are conditional on PENDING: two completions of one upload settle it once. */
export class FileRepository {
  constructor(private readonly db: TenantScope) {}

  get tenantId(): string {
    return this.db.tenantId;
  }

  findByIds(ids: readonly string[]): Promise<File[]> {
    return this.db.rows('File', 'id', ids);
  }

  async findById(id: string): Promise<File | null> {
    return (await this.findByIds([id]))[0] ?? null;
  }

  create(file: NewFile): Promise<File> {
    return this.db.run((tx) => tx.file.create({ data: { ...file, tenantId: this.db.tenantId, status: 'PENDING' } }));
  }

  /**
   * Runs `work` holding the file's row lock: completions of one upload run one after the other
   * (each sees what the one before settled), within one transaction.
   */
  whileLocked<T>(id: string, work: () => Promise<T>): Promise<T> {
    return this.db.run(
      async (tx) => {
        await tx.$queryRaw`SELECT 1 FROM "files" WHERE "tenant_id" = ${this.db.tenantId}::uuid AND "id" = ${id}::uuid FOR UPDATE`;
        return work();
      },
      // Copying and reading an upload of up to 25 MB in storage.
      { timeoutMs: 60_000 },
    );
  }

  /** PENDING -> READY; null when it was no longer PENDING. */
  markReady(id: string, at: Date): Promise<File | null> {
    return this.settle(id, { status: 'READY', readyAt: at });
  }

  /** PENDING -> REJECTED with the reason; null when it was no longer PENDING. */
  markRejected(id: string, reason: string): Promise<File | null> {
    return this.settle(id, { status: 'REJECTED', rejectionReason: reason });
  }

  /**
   * Deletes an abandoned file's row (still PENDING or REJECTED, its upload URL expired before
   * `expiredBefore`) and, in the same transaction, its bytes through `deleteObject`: the row goes
   * only if its bytes did, and a file completed meanwhile is left alone. False when nothing matched.
   */
  deleteAbandoned(id: string, expiredBefore: Date, deleteObject: () => Promise<void>): Promise<boolean> {
    return this.db.run(async (tx) => {
      const { count } = await tx.file.deleteMany({
        where: { tenantId: this.db.tenantId, id, status: { in: ['PENDING', 'REJECTED'] }, uploadExpiresAt: { lt: expiredBefore } },
      });
      if (count === 0) return false;
      await deleteObject();
      return true;
    });
  }

  private settle(id: string, change: { status: 'READY'; readyAt: Date } | { status: 'REJECTED'; rejectionReason: string }) {
    return this.db.run(async (tx) => {
      const { count } = await tx.file.updateMany({ where: { tenantId: this.db.tenantId, id, status: 'PENDING' }, data: change });
      return count === 0 ? null : tx.file.findUnique({ where: { id } });
    });
  }
}

/** Abandoned uploads (and READY files whose upload URL just expired) across tenants, through the narrow app_media_abandoned_files function (ids and keys only). */
export class AbandonedFileRepository {
  constructor(private readonly database: Database) {}

  list(expiredBefore: Date, limit: number): Promise<{ tenant_id: string; id: string; storage_key: string; status: FileStatus }[]> {
    return this.database.prisma.$queryRaw`SELECT * FROM app_media_abandoned_files(${expiredBefore}, ${limit})`;
  }
}
