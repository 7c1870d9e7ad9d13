// What resolvers of this subgraph receive for each GraphQL type (codegen `mappers`).
import type { File } from '@academy/platform';

export type { File as FileModel } from '@academy/platform';

/** A PENDING file and where (and how) its bytes go. */
export interface UploadTicketModel {
  file: File;
  uploadUrl: string;
  headers: Record<string, string>;
  expiresAt: Date;
}
