import { isExecutableType, sniffContentType, type StoredObject } from '@academy/storage';
import { describeLimit, UPLOAD_LIMITS, type DeclaredUpload } from './upload-limits';

type Declared = Pick<DeclaredUpload, 'purpose' | 'contentType' | 'byteSize'>;

/**
 * Why the stored size refuses an upload (null: it does not). Checked before reading any byte:
 * S3 refuses a PUT of another length than the signed one, but not every S3-compatible server does.
 */
export function sizeProblem(declared: Declared, stored: StoredObject): string | null {
  const limit = UPLOAD_LIMITS[declared.purpose];
  if (stored.byteSize > limit.maxBytes)
    return `The file is ${stored.byteSize} bytes, over the ${describeLimit(limit)} limit for ${declared.purpose} files`;
  if (stored.byteSize !== declared.byteSize) return `The file is ${stored.byteSize} bytes, not the ${declared.byteSize} bytes declared`;
  return null;
}

/** Why the file's first bytes refuse it (null: they are what was declared, and allowed for its purpose). */
export function typeProblem(declared: Declared, firstBytes: Uint8Array): string | null {
  const sniffed = sniffContentType(firstBytes);
  if (sniffed === declared.contentType && UPLOAD_LIMITS[declared.purpose].contentTypes.includes(sniffed)) return null;
  if (sniffed === null) return `The file is not ${declared.contentType}: its content is of no type ${declared.purpose} files take`;
  return `The file is ${isExecutableType(sniffed) ? 'an executable' : sniffed}, not ${declared.contentType}`;
}
