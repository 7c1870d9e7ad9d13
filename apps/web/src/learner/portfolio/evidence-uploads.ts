import { useCallback, useEffect, useRef, useState } from 'react';
import { CompleteUploadDocument, CreateUploadDocument, describeError } from '@academy/client';
import { useMutation } from '@academy/client/react';
import { useI18n, type MessageKey } from '../../i18n';

/** What EVIDENCE files may be (docs/messaging-and-files.md): checked here first, then by the API. */
export const EVIDENCE_TYPES: readonly string[] = ['application/pdf', 'image/png', 'image/jpeg', 'image/webp', 'video/mp4'];
export const EVIDENCE_MAX_BYTES = 25 * 1024 * 1024;
export const EVIDENCE_MAX_FILES = 10;
const NAME_MAX = 255;
// eslint-disable-next-line no-control-regex -- the API refuses names with path separators and control characters
const UNSAFE_NAME = /[/\\\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** One file on its way to storage: uploading (with progress), being checked by the API, ready (its id), or refused. */
export interface EvidenceUpload {
  key: string;
  name: string;
  byteSize: number;
  phase: 'uploading' | 'checking' | 'ready' | 'failed';
  /** 0..1 of the bytes sent. */
  progress: number;
  fileId: string | null;
  /** Why it failed, in the person's words. */
  problem: string | null;
}

interface ErrorLike {
  graphQLErrors?: { extensions?: { code?: unknown; issues?: unknown } | null }[];
}

/** The `field`s of a BAD_USER_INPUT answer's `extensions.issues`. */
export function issueFieldsOf(error: unknown): string[] {
  return ((error as ErrorLike | null)?.graphQLErrors ?? []).flatMap((graphQLError) => {
    const issues = graphQLError.extensions?.issues;
    return Array.isArray(issues)
      ? issues.map((issue) => (issue as { field?: unknown } | null)?.field).filter((field): field is string => typeof field === 'string')
      : [];
  });
}

class TransferFailed extends Error {
  constructor(readonly status: number) {
    super(`the storage answered ${status}`);
  }
}

/** PUTs the bytes to the presigned URL with the headers the API gave, reporting progress; aborted by `signal`. */
function put(url: string, file: File, headers: Record<string, string>, onProgress: (fraction: number) => void, signal: AbortSignal) {
  return new Promise<void>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('PUT', url);
    for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    request.onload = () => (request.status >= 200 && request.status < 300 ? resolve() : reject(new TransferFailed(request.status)));
    request.onerror = () => reject(new TransferFailed(0));
    request.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    signal.addEventListener('abort', () => request.abort(), { once: true });
    request.send(file);
  });
}

/**
 * The files of one evidence form: each chosen file is checked here (type, size, name), asked a
 * ticket for (createUpload, purpose EVIDENCE), PUT to the storage with progress and completed
 * (completeUpload: READY once the API checked the stored bytes). Removing one stops its upload.
 */
export function useEvidenceUploads() {
  const { t, locale } = useI18n();
  const [uploads, setUploads] = useState<EvidenceUpload[]>([]);
  const [, createUpload] = useMutation(CreateUploadDocument);
  const [, completeUpload] = useMutation(CompleteUploadDocument);
  const running = useRef(new Map<string, AbortController>());
  const counter = useRef(0);

  useEffect(() => {
    const controllers = running.current;
    return () => controllers.forEach((controller) => controller.abort());
  }, []);

  const update = useCallback((key: string, change: Partial<EvidenceUpload>) => {
    setUploads((current) => current.map((upload) => (upload.key === key ? { ...upload, ...change } : upload)));
  }, []);

  /** Why the file cannot be evidence, before anything is sent; null when it may be. */
  const problemOf = useCallback(
    (file: File): string | null => {
      const name = file.name;
      if (!EVIDENCE_TYPES.includes(file.type)) return t('portfolio.refusal.type', { name });
      if (file.size === 0) return t('portfolio.refusal.empty', { name });
      if (file.size > EVIDENCE_MAX_BYTES) return t('portfolio.refusal.size', { name });
      if (name.trim().length === 0 || name.length > NAME_MAX || UNSAFE_NAME.test(name)) return t('portfolio.refusal.fileName', { name });
      return null;
    },
    [t],
  );

  /** A refused createUpload or completeUpload in words: what the API named, else describeError's message. */
  const refusalOf = useCallback(
    (error: unknown, name: string, step: 'create' | 'complete'): string => {
      const fields = issueFieldsOf(error);
      const byField: Record<string, MessageKey> = {
        contentType: 'portfolio.refusal.type',
        byteSize: 'portfolio.refusal.size',
        fileName: 'portfolio.refusal.fileName',
      };
      const known = fields.map((field) => byField[field]).filter((key): key is MessageKey => Boolean(key));
      if (known.length > 0) return known.map((key) => t(key, { name })).join(' ');
      const described = describeError(error, locale);
      if (step === 'complete' && described.code === 'BAD_USER_INPUT') return t('portfolio.refusal.rejected', { name });
      if (step === 'complete' && described.code === 'CONFLICT') return t('portfolio.refusal.expired', { name });
      return described.message;
    },
    [locale, t],
  );

  const start = useCallback(
    async (key: string, file: File) => {
      const controller = new AbortController();
      running.current.set(key, controller);
      try {
        const created = await createUpload({ purpose: 'EVIDENCE', fileName: file.name, contentType: file.type, byteSize: file.size });
        if (controller.signal.aborted) return;
        if (!created.data) return update(key, { phase: 'failed', problem: refusalOf(created.error, file.name, 'create') });
        const { uploadUrl, headers, file: ticket } = created.data.createUpload;
        try {
          await put(uploadUrl, file, (headers ?? {}) as Record<string, string>, (progress) => update(key, { progress }), controller.signal);
        } catch (error) {
          if (controller.signal.aborted) return;
          const expired = error instanceof TransferFailed && error.status === 403;
          return update(key, {
            phase: 'failed',
            problem: t(expired ? 'portfolio.refusal.expired' : 'portfolio.refusal.transfer', { name: file.name }),
          });
        }
        update(key, { phase: 'checking', progress: 1 });
        const completed = await completeUpload({ id: ticket.id });
        if (controller.signal.aborted) return;
        if (!completed.data) return update(key, { phase: 'failed', problem: refusalOf(completed.error, file.name, 'complete') });
        update(key, { phase: 'ready', fileId: completed.data.completeUpload.id });
      } finally {
        running.current.delete(key);
      }
    },
    [completeUpload, createUpload, refusalOf, t, update],
  );

  /** Adds the chosen files (at most EVIDENCE_MAX_FILES in all); false when some were left out for that. */
  const add = useCallback(
    (files: readonly File[], room: number): boolean => {
      const taken = files.slice(0, Math.max(0, room));
      const added = taken.map((file): EvidenceUpload => {
        counter.current += 1;
        const problem = problemOf(file);
        return {
          key: `upload-${counter.current}`,
          name: file.name,
          byteSize: file.size,
          phase: problem ? 'failed' : 'uploading',
          progress: 0,
          fileId: null,
          problem,
        };
      });
      setUploads((current) => [...current, ...added]);
      added.forEach((upload, index) => {
        if (upload.phase === 'uploading') void start(upload.key, taken[index]!);
      });
      return taken.length === files.length;
    },
    [problemOf, start],
  );

  const remove = useCallback((key: string) => {
    running.current.get(key)?.abort();
    setUploads((current) => current.filter((upload) => upload.key !== key));
  }, []);

  const clear = useCallback(() => setUploads([]), []);

  return { uploads, add, remove, clear };
}
