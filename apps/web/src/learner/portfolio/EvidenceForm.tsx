import { useId, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { describeError, SubmitEvidenceDocument } from '@academy/client';
import { useMutation } from '@academy/client/react';
import { useI18n } from '../../i18n';
import { EVIDENCE_MAX_FILES, EVIDENCE_TYPES, issueFieldsOf, useEvidenceUploads, type EvidenceUpload } from './evidence-uploads';
import { formatBytes } from './format';
import type { CriterionView } from './portfolio-model';

const NOTE_MAX = 2000;

interface Refusal {
  messages: string[];
  /** The form's parts the refusal is about (aria-invalid). */
  fields: ('files' | 'note')[];
}

/**
 * Evidence for one criterion: files uploaded as they are chosen (each with its progress and
 * state, removable), an optional note, then submitEvidence with the uploaded files. A refusal is
 * said in words and announced; a CONFLICT (reviewed or judged meanwhile) shows the portfolio anew.
 */
export function EvidenceForm(props: {
  enrollmentId: string;
  criterion: CriterionView;
  resubmission: boolean;
  onSubmitted: (message: string) => void;
  onStale: () => void;
}) {
  const { t, locale } = useI18n();
  const id = useId();
  const { uploads, add, remove, clear } = useEvidenceUploads();
  const [note, setNote] = useState('');
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [submitting, submitEvidence] = useMutation(SubmitEvidenceDocument);
  const fileInput = useRef<HTMLInputElement>(null);

  const kept = uploads.filter((upload) => upload.phase !== 'failed').length;

  const choose = (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = [...(event.target.files ?? [])];
    // Empty again: the same file can be chosen once more after it was removed.
    event.target.value = '';
    if (chosen.length === 0) return;
    const all = add(chosen, EVIDENCE_MAX_FILES - kept);
    setRefusal(all ? null : { messages: [t('portfolio.refusal.tooMany')], fields: ['files'] });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ready = uploads.filter((upload) => upload.phase === 'ready' && upload.fileId);
    const local = localProblem(uploads, note);
    if (local) {
      setRefusal({ messages: [t(local)], fields: local === 'portfolio.refusal.note' ? ['note'] : ['files'] });
      if (local !== 'portfolio.refusal.note') fileInput.current?.focus();
      return;
    }
    setRefusal(null);
    const trimmed = note.trim();
    const result = await submitEvidence({
      enrollmentId: props.enrollmentId,
      criterionId: props.criterion.id,
      fileIds: ready.map((upload) => upload.fileId!),
      ...(trimmed ? { note: trimmed } : {}),
    });
    if (result.data) {
      clear();
      setNote('');
      props.onSubmitted(t('portfolio.sent', { position: props.criterion.position }));
      return;
    }
    const refused = refusalOf(result.error, ready);
    setRefusal(refused);
    if (describeError(result.error, locale).code === 'CONFLICT') props.onStale();
  };

  /** A refused submitEvidence in words: each problem the API named, else what describeError says. */
  const refusalOf = (error: unknown, sent: readonly EvidenceUpload[]): Refusal => {
    const messages: string[] = [];
    const fields = new Set<'files' | 'note'>();
    for (const field of issueFieldsOf(error)) {
      const file = /^fileIds\.(\d+)$/.exec(field);
      if (file) {
        const upload = sent[Number(file[1])];
        messages.push(upload ? t('portfolio.refusal.file', { name: upload.name }) : t('portfolio.refusal.fileUnknown'));
        fields.add('files');
      } else if (field === 'fileIds') {
        messages.push(t('portfolio.refusal.noFiles'));
        fields.add('files');
      } else if (field === 'note') {
        messages.push(t('portfolio.refusal.note'));
        fields.add('note');
      }
    }
    const described = describeError(error, locale);
    if (messages.length === 0) {
      if (described.code === 'CONFLICT') messages.push(t('portfolio.refusal.conflict'));
      else if (described.code === 'NOT_FOUND') messages.push(t('portfolio.refusal.notFound'));
      else if (described.code === 'FORBIDDEN') messages.push(t('portfolio.refusal.forbidden'));
      else messages.push(described.message);
    }
    return { messages, fields: [...fields] };
  };

  const busy = submitting.fetching;
  return (
    <form className="portfolio-form" onSubmit={(event) => void submit(event)} aria-labelledby={`${id}-title`} noValidate>
      <h4 id={`${id}-title`}>{props.resubmission ? t('portfolio.form.resubmitTitle') : t('portfolio.form.title')}</h4>
      <label htmlFor={`${id}-files`}>{t('portfolio.form.files')}</label>
      <input
        ref={fileInput}
        id={`${id}-files`}
        type="file"
        multiple
        accept={EVIDENCE_TYPES.join(',')}
        aria-describedby={`${id}-files-hint`}
        aria-invalid={refusal?.fields.includes('files') ?? false}
        disabled={busy}
        onChange={choose}
      />
      <p id={`${id}-files-hint`} className="muted portfolio-hint">
        {t('portfolio.form.filesHint')}
      </p>
      {uploads.length > 0 ? (
        <ul className="portfolio-uploads" aria-label={t('portfolio.form.attached')}>
          {uploads.map((upload) => (
            <UploadLine key={upload.key} upload={upload} disabled={busy} onRemove={() => remove(upload.key)} />
          ))}
        </ul>
      ) : null}
      <label htmlFor={`${id}-note`}>{t('portfolio.form.note')}</label>
      <textarea
        id={`${id}-note`}
        rows={3}
        maxLength={NOTE_MAX}
        value={note}
        aria-describedby={`${id}-note-hint`}
        aria-invalid={refusal?.fields.includes('note') ?? false}
        disabled={busy}
        onChange={(event) => setNote(event.target.value)}
      />
      <p id={`${id}-note-hint`} className="muted portfolio-hint">
        {t('portfolio.form.noteHint')}
      </p>
      <button type="submit" className="button button-primary" disabled={busy} aria-busy={busy}>
        {busy ? t('portfolio.form.submitting') : t('portfolio.form.submit')}
      </button>
      {refusal ? (
        <div role="alert" className="error portfolio-refusal">
          {refusal.messages.map((message) => (
            <p key={message}>{message}</p>
          ))}
        </div>
      ) : null}
    </form>
  );
}

/** What stops the form before the API is asked: files still uploading, refused, none, or a note too long. */
function localProblem(uploads: readonly EvidenceUpload[], note: string) {
  if (uploads.some((upload) => upload.phase === 'uploading' || upload.phase === 'checking'))
    return 'portfolio.refusal.stillUploading' as const;
  if (uploads.some((upload) => upload.phase === 'failed')) return 'portfolio.refusal.removeFailed' as const;
  if (!uploads.some((upload) => upload.phase === 'ready')) return 'portfolio.refusal.noFiles' as const;
  if (note.trim().length > NOTE_MAX) return 'portfolio.refusal.note' as const;
  return null;
}

/** One attached file: its name and size, where its upload is (progress while sending), why it failed, and a way to remove it. */
function UploadLine({ upload, disabled, onRemove }: { upload: EvidenceUpload; disabled: boolean; onRemove: () => void }) {
  const { t, locale } = useI18n();
  const percent = Math.round(upload.progress * 100);
  return (
    <li
      className={`portfolio-upload portfolio-upload-${upload.phase}`}
      aria-busy={upload.phase === 'uploading' || upload.phase === 'checking'}
    >
      <span className="portfolio-upload-name">
        {upload.name} <span className="muted">({formatBytes(upload.byteSize, locale)})</span>
      </span>
      {upload.phase === 'uploading' ? (
        <>
          <progress max={100} value={percent} aria-label={t('portfolio.upload.progress', { name: upload.name })} />
          <span aria-hidden="true" className="portfolio-upload-percent">
            {percent} %
          </span>
        </>
      ) : null}
      {upload.phase === 'failed' ? (
        <span role="alert" className="error portfolio-upload-state" data-testid="upload-state">
          {t('portfolio.upload.failed')}: {upload.problem}
        </span>
      ) : (
        <span role="status" className="portfolio-upload-state" data-testid="upload-state">
          {upload.phase === 'uploading'
            ? t('portfolio.upload.uploading')
            : upload.phase === 'checking'
              ? t('portfolio.upload.checking')
              : t('portfolio.upload.ready')}
        </span>
      )}
      <button
        type="button"
        className="button portfolio-remove"
        disabled={disabled}
        aria-label={t('portfolio.form.removeFile', { name: upload.name })}
        onClick={onRemove}
      >
        {t('portfolio.form.remove')}
      </button>
    </li>
  );
}
