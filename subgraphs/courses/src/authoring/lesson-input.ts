import { BadUserInputError, isUuid, type InputIssue } from '@academy/platform';
import type { LessonKind } from '../generated/resolvers-types';

/** A lesson as addLesson or updateLesson gives it (null or absent: unchanged, or the default). */
export interface LessonInput {
  title?: string | null;
  durationMinutes?: number | null;
  kind?: LessonKind | null;
  body?: string | null;
  videoUrl?: string | null;
  attachmentFileIds?: readonly string[] | null;
}

/** What is stored of a lesson. `body` and `videoUrl` null: none; `attachmentFileIds` in the order shown. */
export interface LessonFields {
  title: string;
  durationMinutes: number;
  kind: LessonKind;
  body: string | null;
  videoUrl: string | null;
  attachmentFileIds: string[];
}

export const LESSON_LIMITS = { title: 160, body: 100_000, videoUrl: 2_000, attachments: 20, minutes: 1440 } as const;

export const ATTACHMENT_MESSAGE = 'must be READY LESSON_ATTACHMENT files of this academy (createUpload, then completeUpload)';

/**
 * The one mapper of a lesson's input, checked field by field with every problem at once
 * (BAD_USER_INPUT). `complete`: addLesson, where title and duration are required and the others
 * take their defaults; otherwise only the fields given change. An empty body or video URL clears
 * it. The body is Markdown kept as written: clients sanitise it when they render it (it is never
 * turned into HTML here; docs/teaching.md). A video URL is an absolute https URL. Attachments are
 * file ids, each once; that they are READY LESSON_ATTACHMENT files of the tenant the database
 * checks when they are written (trigger lessons_attachment_check; see `attachingFiles`).
 */
export function lessonFields(input: LessonInput, complete: true): LessonFields;
export function lessonFields(input: LessonInput, complete: false): Partial<LessonFields>;
export function lessonFields(input: LessonInput, complete: boolean): Partial<LessonFields> {
  const issues: InputIssue[] = [];
  const fields: Partial<LessonFields> = {};
  if (input.title !== undefined && input.title !== null) {
    const title = input.title.trim();
    if (title.length === 0 || title.length > LESSON_LIMITS.title) issues.push({ field: 'title', message: 'must be 1 to 160 characters' });
    else fields.title = title;
  } else if (complete) issues.push({ field: 'title', message: 'is required' });
  if (input.durationMinutes !== undefined && input.durationMinutes !== null) {
    if (!Number.isInteger(input.durationMinutes) || input.durationMinutes < 1 || input.durationMinutes > LESSON_LIMITS.minutes)
      issues.push({ field: 'durationMinutes', message: 'must be 1 to 1440' });
    else fields.durationMinutes = input.durationMinutes;
  } else if (complete) issues.push({ field: 'durationMinutes', message: 'is required' });
  if (input.kind !== undefined && input.kind !== null) fields.kind = input.kind;
  else if (complete) fields.kind = 'READING';
  if (input.body !== undefined && input.body !== null) {
    if (input.body.length > LESSON_LIMITS.body) issues.push({ field: 'body', message: 'must be at most 100000 characters' });
    else if (input.body.includes('\u0000')) issues.push({ field: 'body', message: 'must not contain NUL characters' });
    else fields.body = input.body.trim() === '' ? null : input.body;
  } else if (complete) fields.body = null;
  if (input.videoUrl !== undefined && input.videoUrl !== null) {
    const url = input.videoUrl.trim();
    if (url === '') fields.videoUrl = null;
    else if (!isHttpsUrl(url) || url.length > LESSON_LIMITS.videoUrl)
      issues.push({ field: 'videoUrl', message: 'must be an https URL of at most 2000 characters' });
    else fields.videoUrl = new URL(url).href;
  } else if (complete) fields.videoUrl = null;
  if (input.attachmentFileIds !== undefined && input.attachmentFileIds !== null) {
    const ids = input.attachmentFileIds;
    if (ids.length > LESSON_LIMITS.attachments) issues.push({ field: 'attachmentFileIds', message: 'must be at most 20 files' });
    else if (new Set(ids).size !== ids.length) issues.push({ field: 'attachmentFileIds', message: 'must name each file once' });
    else if (!ids.every(isUuid)) issues.push({ field: 'attachmentFileIds', message: ATTACHMENT_MESSAGE });
    else fields.attachmentFileIds = [...ids];
  } else if (complete) fields.attachmentFileIds = [];
  if (issues.length > 0) throw new BadUserInputError('Invalid lesson', issues);
  return fields;
}

/**
 * Runs a write of a lesson's attachments. The database refuses a file that is not a READY
 * LESSON_ATTACHMENT file of the tenant (trigger lessons_attachment_check); that refusal is the
 * caller's BAD_USER_INPUT, not a 500.
 */
export async function attachingFiles<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const text = `${(error as Error)?.message ?? ''} ${JSON.stringify((error as { meta?: unknown })?.meta ?? {})}`;
    if (/lesson attachment is not a READY LESSON_ATTACHMENT file/.test(text))
      throw new BadUserInputError('Invalid lesson', [{ field: 'attachmentFileIds', message: ATTACHMENT_MESSAGE }]);
    throw error;
  }
}

function isHttpsUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' && url.hostname.length > 0 && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}
