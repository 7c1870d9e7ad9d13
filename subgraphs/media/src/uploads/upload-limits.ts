import { BadUserInputError, type InputIssue, type UploadPurpose } from '@academy/platform';

const MB = 1024 * 1024;

export interface UploadLimit {
  /** Canonical content types (see canonicalContentType). */
  contentTypes: readonly string[];
  maxBytes: number;
}

const IMAGES = ['image/png', 'image/jpeg', 'image/webp'];
const DOCUMENTS = ['application/pdf', ...IMAGES, 'video/mp4'];

/** What each purpose takes: images up to 5 MB for avatars and logos; documents, images and video up to 25 MB for the rest. */
export const UPLOAD_LIMITS: Readonly<Record<UploadPurpose, UploadLimit>> = {
  AVATAR: { contentTypes: IMAGES, maxBytes: 5 * MB },
  TENANT_LOGO: { contentTypes: IMAGES, maxBytes: 5 * MB },
  LESSON_ATTACHMENT: { contentTypes: DOCUMENTS, maxBytes: 25 * MB },
  EVIDENCE: { contentTypes: DOCUMENTS, maxBytes: 25 * MB },
  IMPACT_EVIDENCE: { contentTypes: DOCUMENTS, maxBytes: 25 * MB },
};

const MAX_NAME_LENGTH = 255;
// Path separators, C0/C1 control characters and bidirectional overrides (which make "gnp.exe" read as
// "exe.png"): a name is shown to people and sent back in Content-Disposition.
// eslint-disable-next-line no-control-regex
const UNSAFE_NAME = /[/\\\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Case and parameters do not matter; image/jpg (what some clients send) is image/jpeg. */
export function canonicalContentType(value: string): string {
  const type = value.split(';')[0]!.trim().toLowerCase();
  return type === 'image/jpg' || type === 'image/pjpeg' ? 'image/jpeg' : type;
}

/** "5 MB (5242880 bytes)": the limit as people read it, and exactly. */
export function describeLimit(limit: UploadLimit): string {
  return `${limit.maxBytes / MB} MB (${limit.maxBytes} bytes)`;
}

export interface DeclaredUpload {
  purpose: UploadPurpose;
  name: string;
  contentType: string;
  byteSize: number;
}

/** What the client declares before uploading, checked against its purpose's limits; BAD_USER_INPUT naming each problem. */
export function checkDeclaredUpload(input: {
  purpose: UploadPurpose;
  fileName: string;
  contentType: string;
  byteSize: number;
}): DeclaredUpload {
  const limit = UPLOAD_LIMITS[input.purpose];
  const name = input.fileName.trim();
  const contentType = canonicalContentType(input.contentType);
  const issues: InputIssue[] = [];
  if (name.length < 1 || name.length > MAX_NAME_LENGTH)
    issues.push({ field: 'fileName', message: `must be 1 to ${MAX_NAME_LENGTH} characters` });
  else if (UNSAFE_NAME.test(name)) issues.push({ field: 'fileName', message: 'must not contain path separators or control characters' });
  if (!limit.contentTypes.includes(contentType))
    issues.push({ field: 'contentType', message: `must be one of ${limit.contentTypes.join(', ')} for ${input.purpose} files` });
  if (!Number.isInteger(input.byteSize) || input.byteSize < 1 || input.byteSize > limit.maxBytes)
    issues.push({ field: 'byteSize', message: `must be 1 byte to ${describeLimit(limit)} for ${input.purpose} files` });
  if (issues.length > 0)
    throw new BadUserInputError(`Invalid upload: ${issues.map((issue) => `${issue.field} ${issue.message}`).join('; ')}`, issues);
  return { purpose: input.purpose, name, contentType, byteSize: input.byteSize };
}
