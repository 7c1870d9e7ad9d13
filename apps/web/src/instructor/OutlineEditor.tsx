import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import {
  AddLessonDocument,
  AddModuleDocument,
  MoveLessonDocument,
  MoveModuleDocument,
  RemoveLessonDocument,
  RemoveModuleDocument,
  UpdateLessonDocument,
  UpdateModuleDocument,
  type LessonKind,
} from '@academy/client';
import { useMutation } from '@academy/client/react';
import { useI18n, type MessageKey } from '../i18n';
import { LESSON_KINDS, MutationError } from './shared';

export interface OutlineLesson {
  id: string;
  title: string;
  kind: LessonKind;
  durationMinutes: number;
  videoUrl: string | null;
}

export interface OutlineModule {
  id: string;
  title: string;
  lessons: readonly OutlineLesson[];
}

interface Props {
  courseId: string;
  /** In course order (the API lists modules and lessons by position). */
  modules: readonly OutlineModule[];
  /** What a lesson teaches (Markdown; undefined while it is not known yet), for its edit form. */
  bodyOf: (lessonId: string) => string | null | undefined;
  onChanged: () => void;
}

/**
 * Modules and lessons: add, rename or edit, remove, and reorder with up and down buttons
 * (MoveModule, MoveLesson; positions are 1-based). After a move the focus stays on the button
 * that moved the part, so a keyboard user can keep moving it.
 */
export function OutlineEditor({ courseId, modules, bodyOf, onChanged }: Props) {
  const { t } = useI18n();
  const id = useId();
  const [moveModule, runMoveModule] = useMutation(MoveModuleDocument);
  const [moveLesson, runMoveLesson] = useMutation(MoveLessonDocument);
  // The button to focus once the outline shows the move (`before`: the outline the move started from).
  const [focusAfter, setFocusAfter] = useState<{ id: string; fallback: string; before: readonly OutlineModule[] } | null>(null);
  const [announcement, setAnnouncement] = useState('');

  // The moved part's button again, once the outline shows the new order (or its other button at an end).
  useEffect(() => {
    if (!focusAfter || modules === focusAfter.before) return;
    const button = document.getElementById(focusAfter.id) as HTMLButtonElement | null;
    const target = button && !button.disabled ? button : document.getElementById(focusAfter.fallback);
    target?.focus();
    setFocusAfter(null);
  }, [modules, focusAfter]);

  const moveModuleTo = async (module: OutlineModule, to: number, direction: 'up' | 'down') => {
    const result = await runMoveModule({ id: module.id, position: to });
    if (result.data) {
      setAnnouncement(t('teach.outline.moduleMoved', { title: module.title, position: to }));
      setFocusAfter({
        id: `${id}-${direction}-${module.id}`,
        fallback: `${id}-${direction === 'up' ? 'down' : 'up'}-${module.id}`,
        before: modules,
      });
      onChanged();
    }
  };
  const moveLessonTo = async (lesson: OutlineLesson, to: number, direction: 'up' | 'down') => {
    const result = await runMoveLesson({ id: lesson.id, position: to });
    if (result.data) {
      setAnnouncement(t('teach.outline.lessonMoved', { title: lesson.title, position: to }));
      setFocusAfter({
        id: `${id}-${direction}-${lesson.id}`,
        fallback: `${id}-${direction === 'up' ? 'down' : 'up'}-${lesson.id}`,
        before: modules,
      });
      onChanged();
    }
  };
  const moving = moveModule.fetching || moveLesson.fetching;

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('teach.outline.title')}</h2>
      <p className="muted">{t('teach.outline.intro')}</p>
      <p role="status" aria-live="polite" className="visually-hidden">
        {announcement}
      </p>
      <MutationError error={moveModule.error ?? moveLesson.error} />
      <ol className="teach-outline" aria-busy={moving}>
        {modules.map((module, m) => (
          <li key={module.id} className="teach-module" data-testid="outline-module">
            <ModuleHeader
              module={module}
              position={m + 1}
              count={modules.length}
              idPrefix={id}
              disabled={moving}
              onMove={(to, direction) => void moveModuleTo(module, to, direction)}
              onChanged={onChanged}
            />
            <ol className="teach-lessons">
              {module.lessons.map((lesson, l) => (
                <li key={lesson.id} data-testid="outline-lesson">
                  <LessonItem
                    lesson={lesson}
                    body={bodyOf(lesson.id)}
                    position={l + 1}
                    count={module.lessons.length}
                    idPrefix={id}
                    disabled={moving}
                    onMove={(to, direction) => void moveLessonTo(lesson, to, direction)}
                    onChanged={onChanged}
                  />
                </li>
              ))}
            </ol>
            {module.lessons.length === 0 ? <p className="muted">{t('teach.outline.noLessons')}</p> : null}
            <AddLesson module={module} onAdded={onChanged} />
          </li>
        ))}
      </ol>
      <AddModule courseId={courseId} onAdded={onChanged} />
    </section>
  );
}

interface MoveButtonsProps {
  idPrefix: string;
  partId: string;
  position: number;
  count: number;
  disabled: boolean;
  /** The hidden end of each button's name: " el módulo «…»". */
  what: string;
  onMove: (to: number, direction: 'up' | 'down') => void;
}

function MoveButtons({ idPrefix, partId, position, count, disabled, what, onMove }: MoveButtonsProps) {
  const { t } = useI18n();
  return (
    <>
      <button
        type="button"
        id={`${idPrefix}-up-${partId}`}
        className="button button-small"
        disabled={disabled || position === 1}
        onClick={() => onMove(position - 1, 'up')}
      >
        <span aria-hidden="true">↑ </span>
        {t('teach.outline.up')}
        <span className="visually-hidden">{what}</span>
      </button>
      <button
        type="button"
        id={`${idPrefix}-down-${partId}`}
        className="button button-small"
        disabled={disabled || position === count}
        onClick={() => onMove(position + 1, 'down')}
      >
        <span aria-hidden="true">↓ </span>
        {t('teach.outline.down')}
        <span className="visually-hidden">{what}</span>
      </button>
    </>
  );
}

function ModuleHeader(props: {
  module: OutlineModule;
  position: number;
  count: number;
  idPrefix: string;
  disabled: boolean;
  onMove: (to: number, direction: 'up' | 'down') => void;
  onChanged: () => void;
}) {
  const { module, position } = props;
  const { t } = useI18n();
  const id = useId();
  const [mode, setMode] = useState<'view' | 'rename' | 'remove'>('view');
  const [title, setTitle] = useState(module.title);
  const [renaming, rename] = useMutation(UpdateModuleDocument);
  const [removing, remove] = useMutation(RemoveModuleDocument);
  const what = t('teach.outline.ofModule', { title: module.title });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await rename({ id: module.id, input: { title: title.trim() } });
    if (result.data) {
      setMode('view');
      props.onChanged();
    }
  };
  const doRemove = async () => {
    const result = await remove({ id: module.id });
    if (result.data) props.onChanged();
  };

  return (
    <div className="teach-part">
      {mode === 'rename' ? (
        <form
          className="teach-inline-form"
          onSubmit={(event) => void submit(event)}
          aria-label={t('teach.outline.renameModuleLabel', { title: module.title })}
        >
          <label htmlFor={`${id}-title`}>{t('teach.field.moduleTitle')}</label>
          <input id={`${id}-title`} value={title} maxLength={160} autoFocus onChange={(event) => setTitle(event.target.value)} />
          <MutationError error={renaming.error} />
          <button type="submit" className="button button-primary button-small" disabled={renaming.fetching}>
            {renaming.fetching ? t('teach.saving') : t('teach.save')}
          </button>{' '}
          <button type="button" className="button button-small" onClick={() => (setMode('view'), setTitle(module.title))}>
            {t('teach.cancel')}
          </button>
        </form>
      ) : (
        <>
          <h3 className="teach-part-title">
            <span className="muted">{t('teach.outline.moduleNumber', { position })}</span> {module.title}
          </h3>
          <div className="teach-part-actions">
            <MoveButtons
              idPrefix={props.idPrefix}
              partId={module.id}
              position={position}
              count={props.count}
              disabled={props.disabled}
              what={what}
              onMove={props.onMove}
            />
            <button type="button" className="button button-small" onClick={() => setMode('rename')}>
              {t('teach.outline.rename')}
              <span className="visually-hidden">{what}</span>
            </button>
            <button type="button" className="button button-small" onClick={() => setMode('remove')}>
              {t('teach.outline.remove')}
              <span className="visually-hidden">{what}</span>
            </button>
          </div>
        </>
      )}
      {mode === 'remove' ? (
        <div className="teach-confirm" role="group" aria-label={t('teach.outline.removeModuleLabel', { title: module.title })}>
          <p>{t('teach.outline.removeModuleConfirm', { title: module.title })}</p>
          <button
            type="button"
            className="button button-danger button-small"
            autoFocus
            disabled={removing.fetching}
            onClick={() => void doRemove()}
          >
            {t('teach.outline.removeYes')}
          </button>{' '}
          <button type="button" className="button button-small" onClick={() => setMode('view')}>
            {t('teach.cancel')}
          </button>
        </div>
      ) : null}
      <MutationError error={removing.error} />
    </div>
  );
}

function LessonItem(props: {
  lesson: OutlineLesson;
  body: string | null | undefined;
  position: number;
  count: number;
  idPrefix: string;
  disabled: boolean;
  onMove: (to: number, direction: 'up' | 'down') => void;
  onChanged: () => void;
}) {
  const { lesson, position } = props;
  const { t } = useI18n();
  const [mode, setMode] = useState<'view' | 'edit' | 'remove'>('view');
  const [removing, remove] = useMutation(RemoveLessonDocument);
  const what = t('teach.outline.ofLesson', { title: lesson.title });
  const doRemove = async () => {
    const result = await remove({ id: lesson.id });
    if (result.data) props.onChanged();
  };

  return (
    <div className="teach-part teach-lesson">
      <div className="teach-part-line">
        <span className="teach-part-title">
          <span className="muted">{t('teach.outline.lessonNumber', { position })}</span>{' '}
          <span className="teach-lesson-title">{lesson.title}</span>
        </span>
        <span className="badge">{t(`teach.kind.${lesson.kind}` as MessageKey)}</span>
        <span className="muted">{t('teach.outline.minutes', { count: lesson.durationMinutes })}</span>
        {lesson.kind === 'VIDEO' && !lesson.videoUrl ? (
          <span className="badge teach-badge-warning">{t('teach.outline.noVideo')}</span>
        ) : null}
      </div>
      {mode !== 'edit' ? (
        <div className="teach-part-actions">
          <MoveButtons
            idPrefix={props.idPrefix}
            partId={lesson.id}
            position={position}
            count={props.count}
            disabled={props.disabled}
            what={what}
            onMove={props.onMove}
          />
          <button type="button" className="button button-small" onClick={() => setMode('edit')}>
            {t('teach.outline.edit')}
            <span className="visually-hidden">{what}</span>
          </button>
          <button type="button" className="button button-small" onClick={() => setMode('remove')}>
            {t('teach.outline.remove')}
            <span className="visually-hidden">{what}</span>
          </button>
        </div>
      ) : (
        <LessonForm
          lesson={lesson}
          body={props.body}
          label={t('teach.outline.editLessonLabel', { title: lesson.title })}
          onDone={() => {
            setMode('view');
            props.onChanged();
          }}
          onCancel={() => setMode('view')}
        />
      )}
      {mode === 'remove' ? (
        <div className="teach-confirm" role="group" aria-label={t('teach.outline.removeLessonLabel', { title: lesson.title })}>
          <p>{t('teach.outline.removeLessonConfirm', { title: lesson.title })}</p>
          <button
            type="button"
            className="button button-danger button-small"
            autoFocus
            disabled={removing.fetching}
            onClick={() => void doRemove()}
          >
            {t('teach.outline.removeYes')}
          </button>{' '}
          <button type="button" className="button button-small" onClick={() => setMode('view')}>
            {t('teach.cancel')}
          </button>
        </div>
      ) : null}
      <MutationError error={removing.error} />
    </div>
  );
}

/** A lesson's fields: a new one (AddLesson into `moduleId`) or an existing one (UpdateLesson). */
function LessonForm(props: {
  lesson?: OutlineLesson;
  /** The lesson's body as saved (undefined: not known yet, then it is sent only when written here). */
  body?: string | null;
  moduleId?: string;
  label: string;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const [title, setTitle] = useState(props.lesson?.title ?? '');
  const [minutes, setMinutes] = useState(String(props.lesson?.durationMinutes ?? 30));
  const [kind, setKind] = useState<LessonKind>(props.lesson?.kind ?? 'READING');
  const [videoUrl, setVideoUrl] = useState(props.lesson?.videoUrl ?? '');
  const [body, setBody] = useState(props.body ?? '');
  const [bodyEdited, setBodyEdited] = useState(false);
  const [invalid, setInvalid] = useState<string[]>([]);
  const [adding, add] = useMutation(AddLessonDocument);
  const [updating, update] = useMutation(UpdateLessonDocument);
  const busy = adding.fetching || updating.fetching;
  const titleRef = useRef<HTMLInputElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const duration = Number(minutes);
    const problems = [
      !title.trim() && 'title',
      !(Number.isInteger(duration) && duration >= 1 && duration <= 1440) && 'minutes',
      videoUrl.trim() !== '' && !/^https:\/\/[^\s@/]+(\/\S*)?$/i.test(videoUrl.trim()) && 'videoUrl',
    ].filter((problem): problem is string => !!problem);
    setInvalid(problems);
    if (problems.length > 0) {
      document.getElementById(`${id}-${problems[0]}`)?.focus();
      return;
    }
    const fields = {
      title: title.trim(),
      durationMinutes: duration,
      kind,
      // An existing lesson whose body was never read keeps it, unless it was written here.
      ...(props.lesson && props.body === undefined && !bodyEdited ? {} : { body }),
      videoUrl: videoUrl.trim(),
    };
    const result = props.lesson
      ? await update({ id: props.lesson.id, input: fields })
      : await add({ moduleId: props.moduleId!, input: fields });
    if (result.data) {
      if (!props.lesson) {
        setTitle('');
        setBody('');
        setVideoUrl('');
        titleRef.current?.focus();
      }
      props.onDone();
    }
  };

  return (
    <form className="teach-form teach-lesson-form" onSubmit={(event) => void submit(event)} noValidate aria-label={props.label}>
      <div className="teach-row">
        <div className="grow">
          <label htmlFor={`${id}-title`}>{t('teach.field.lessonTitle')}</label>
          <input
            id={`${id}-title`}
            ref={titleRef}
            value={title}
            maxLength={160}
            autoFocus
            aria-invalid={invalid.includes('title') || undefined}
            onChange={(event) => setTitle(event.target.value)}
          />
        </div>
        <div>
          <label htmlFor={`${id}-minutes`}>{t('teach.field.duration')}</label>
          <input
            id={`${id}-minutes`}
            type="number"
            min={1}
            max={1440}
            value={minutes}
            aria-invalid={invalid.includes('minutes') || undefined}
            onChange={(event) => setMinutes(event.target.value)}
          />
        </div>
        <div>
          <label htmlFor={`${id}-kind`}>{t('teach.field.kind')}</label>
          <select id={`${id}-kind`} value={kind} onChange={(event) => setKind(event.target.value as LessonKind)}>
            {LESSON_KINDS.map((option) => (
              <option key={option} value={option}>
                {t(`teach.kind.${option}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <label htmlFor={`${id}-videoUrl`}>{t('teach.field.videoUrl')}</label>
      <input
        id={`${id}-videoUrl`}
        type="url"
        value={videoUrl}
        placeholder="https://"
        aria-invalid={invalid.includes('videoUrl') || undefined}
        aria-describedby={`${id}-video-help`}
        onChange={(event) => setVideoUrl(event.target.value)}
      />
      <span id={`${id}-video-help`} className="muted field-help">
        {kind === 'VIDEO' ? t('teach.field.videoUrlNeeded') : t('teach.field.videoUrlHelp')}
      </span>
      <label htmlFor={`${id}-body`}>{t('teach.field.body')}</label>
      <textarea
        id={`${id}-body`}
        rows={4}
        maxLength={100_000}
        value={body}
        aria-describedby={`${id}-body-help`}
        onChange={(event) => (setBody(event.target.value), setBodyEdited(true))}
      />
      <span id={`${id}-body-help`} className="muted field-help">
        {t('teach.field.bodyHelp')}
      </span>
      {invalid.length > 0 ? (
        <p role="alert" className="error">
          {t('teach.hint.lesson')}
        </p>
      ) : null}
      <MutationError error={adding.error ?? updating.error} />
      <div className="teach-actions">
        <button type="submit" className="button button-primary button-small" disabled={busy} aria-busy={busy}>
          {busy ? t('teach.saving') : props.lesson ? t('teach.save') : t('teach.outline.addLessonSubmit')}
        </button>
        <button type="button" className="button button-small" onClick={props.onCancel}>
          {props.lesson ? t('teach.cancel') : t('teach.close')}
        </button>
      </div>
    </form>
  );
}

function AddLesson({ module, onAdded }: { module: OutlineModule; onAdded: () => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  if (!open)
    return (
      <button type="button" className="button button-small" onClick={() => setOpen(true)}>
        {t('teach.outline.addLesson')}
        <span className="visually-hidden">{t('teach.outline.toModule', { title: module.title })}</span>
      </button>
    );
  return (
    <LessonForm
      moduleId={module.id}
      label={t('teach.outline.newLessonLabel', { title: module.title })}
      onDone={onAdded}
      onCancel={() => setOpen(false)}
    />
  );
}

function AddModule({ courseId, onAdded }: { courseId: string; onAdded: () => void }) {
  const { t } = useI18n();
  const id = useId();
  const [title, setTitle] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [{ fetching, error }, add] = useMutation(AddModuleDocument);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) {
      setInvalid(true);
      document.getElementById(`${id}-title`)?.focus();
      return;
    }
    setInvalid(false);
    const result = await add({ courseId, input: { title: title.trim() } });
    if (result.data) {
      setTitle('');
      onAdded();
    }
  };
  return (
    <form
      className="teach-form teach-add-module"
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-label={t('teach.outline.newModuleLabel')}
    >
      <label htmlFor={`${id}-title`}>{t('teach.field.newModuleTitle')}</label>
      <div className="teach-row">
        <input
          id={`${id}-title`}
          className="grow"
          value={title}
          maxLength={160}
          aria-invalid={invalid || undefined}
          aria-describedby={invalid ? `${id}-hint` : undefined}
          onChange={(event) => setTitle(event.target.value)}
        />
        <button type="submit" className="button button-primary" disabled={fetching} aria-busy={fetching}>
          {fetching ? t('teach.saving') : t('teach.outline.addModule')}
        </button>
      </div>
      {invalid ? (
        <span id={`${id}-hint`} className="field-error">
          {t('teach.hint.required')}
        </span>
      ) : null}
      <MutationError error={error} />
    </form>
  );
}
