import { useCallback, useId, useMemo, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import {
  ArchiveCourseDocument,
  CompetencyStandardDocument,
  CourseClassroomDocument,
  CourseForAuthoringDocument,
  CourseOutlineFragmentDoc,
  CoursesTaughtDocument,
  describeError,
  PublishCourseDocument,
  SolarpunkComplianceDocument,
  UpdateCourseDocument,
  useFragment as readFragment,
  type CourseForAuthoringQuery,
  type UpdateCourseInput,
} from '@academy/client';
import { useMutation, useQuery, useSession } from '@academy/client/react';
import { useI18n, type MessageKey } from '../i18n';
import { Loading } from '../screens/Loading';
import { QueryError } from '../screens/QueryError';
import { AssessmentEditor } from './AssessmentEditor';
import { OutlineEditor, type OutlineModule } from './OutlineEditor';
import {
  centsToPesos,
  CourseStatusBadge,
  CURRENCIES,
  inputIssues,
  LANGUAGES,
  MutationError,
  pesosToCents,
  type InputIssue,
} from './shared';

type AuthoringCourse = NonNullable<CourseForAuthoringQuery['course']>;

/** Who authors every course of the academy (an instructor, only their own: the API says the same). */
const ADMINS: readonly string[] = ['TENANT_ADMIN', 'PLATFORM_ADMIN'];

/**
 * `#/teach/courses/:id`: a course as its instructor (or the academy's admin) writes it. Its
 * details, outline and assessment (CourseForAuthoring, by id), what each lesson teaches
 * (CourseClassroom: the outline carries no lesson bodies), its Solarpunk compliance, publishing
 * and archiving.
 */
export function CourseAuthoring() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const { session } = useSession();
  const admin = ADMINS.includes(session?.user.persona ?? '');
  const [authoring, refetchAuthoring] = useQuery({ query: CourseForAuthoringDocument, variables: { id } });
  const [classroom, refetchClassroom] = useQuery({ query: CourseClassroomDocument, variables: { id } });
  const [compliance, refetchCompliance] = useQuery({ query: SolarpunkComplianceDocument, variables: { courseId: id } });
  // An instructor authors only the courses they teach (anyone may read a published course).
  const [taught, refetchTaught] = useQuery({ query: CoursesTaughtDocument, pause: admin });

  /** After every edit: the course as the API now has it (details, outline, assessment, compliance). */
  const refresh = useCallback(() => {
    refetchAuthoring({ requestPolicy: 'network-only' });
    refetchClassroom({ requestPolicy: 'network-only' });
    refetchCompliance({ requestPolicy: 'network-only' });
  }, [refetchAuthoring, refetchClassroom, refetchCompliance]);

  const course = authoring.data?.course;
  const outline = readFragment(CourseOutlineFragmentDoc, course);
  const modules = useMemo<OutlineModule[]>(
    () => (outline ? outline.modules.map((module) => ({ id: module.id, title: module.title, lessons: module.lessons })) : []),
    [outline],
  );
  /** What each lesson teaches (undefined: not read yet, for a lesson just added). */
  const bodies = useMemo(
    () => new Map((classroom.data?.course?.modules ?? []).flatMap((module) => module.lessons.map((lesson) => [lesson.id, lesson.body]))),
    [classroom.data],
  );
  const standardCode = course?.competencyStandardCode ?? '';
  const [standard] = useQuery({ query: CompetencyStandardDocument, variables: { code: standardCode }, pause: !standardCode });
  const mine = admin || taught.data?.me?.coursesTaught.some((one) => one.id === id);

  if (authoring.error && !authoring.data)
    return <QueryError error={authoring.error} retry={() => refetchAuthoring({ requestPolicy: 'network-only' })} />;
  if (classroom.error && !classroom.data)
    return <QueryError error={classroom.error} retry={() => refetchClassroom({ requestPolicy: 'network-only' })} />;
  if (!admin && taught.error && !taught.data)
    return <QueryError error={taught.error} retry={() => refetchTaught({ requestPolicy: 'network-only' })} />;
  if (!authoring.data || !classroom.data || (!admin && !taught.data)) return <Loading />;
  if (!course || !outline || !mine)
    return (
      <div className="card">
        <p role="alert">{t('teach.course.notFound')}</p>
        <Link to="/teach">{t('teach.course.back')}</Link>
      </div>
    );

  const standardTitle = standard.data?.competencyStandard?.code === standardCode ? standard.data.competencyStandard.title : null;
  return (
    <div className="teach">
      <nav aria-label={t('teach.course.breadcrumbs')} className="teach-breadcrumbs">
        <Link to="/teach">{t('teach.course.back')}</Link>
        <Link to={`/teach/courses/${course.id}/analytics`}>{t('teach.course.analytics')}</Link>
      </nav>
      <div className="teach-heading">
        <h1>{course.title}</h1>
        <span role="status" aria-live="polite" data-testid="course-status">
          <CourseStatusBadge status={course.status} />
        </span>
      </div>
      <p className="muted">
        {t('teach.course.summary', {
          modules: modules.length,
          lessons: modules.reduce((sum, module) => sum + module.lessons.length, 0),
          minutes: outline.durationMinutes,
        })}
      </p>
      <div className="teach-authoring">
        <div className="teach-main">
          <DetailsForm key={course.id} course={course} standardTitle={standardTitle} onSaved={refresh} />
          <OutlineEditor courseId={course.id} modules={modules} bodyOf={(lessonId) => bodies.get(lessonId)} onChanged={refresh} />
          <AssessmentEditor
            key={course.id}
            courseId={course.id}
            passingScore={course.passingScore}
            assessment={course.assessment}
            onSaved={refresh}
          />
        </div>
        <aside className="teach-side">
          <PublishPanel course={course} modules={modules} onChanged={refresh} />
          <section className="card" aria-labelledby="teach-compliance">
            <h2 id="teach-compliance">{t('teach.compliance.title')}</h2>
            {compliance.fetching && !compliance.data ? (
              <Loading />
            ) : compliance.error && !compliance.data ? (
              <QueryError error={compliance.error} retry={() => refetchCompliance({ requestPolicy: 'network-only' })} />
            ) : compliance.data ? (
              <Compliance report={compliance.data.solarpunkCompliance} course={course} durationMinutes={outline.durationMinutes} />
            ) : null}
          </section>
        </aside>
      </div>
    </div>
  );
}

/** The course's own fields (UpdateCourse sends only what changed). */
function DetailsForm({ course, standardTitle, onSaved }: { course: AuthoringCourse; standardTitle: string | null; onSaved: () => void }) {
  const { t } = useI18n();
  const id = useId();
  const [title, setTitle] = useState(course.title);
  const [description, setDescription] = useState(course.description);
  const [price, setPrice] = useState(centsToPesos(course.priceCents));
  const [currency, setCurrency] = useState(course.currency);
  const [language, setLanguage] = useState(course.language);
  const [category, setCategory] = useState(course.category ?? '');
  const [standard, setStandard] = useState(course.competencyStandardCode ?? '');
  const [saved, setSaved] = useState(false);
  const [invalid, setInvalid] = useState<string | null>(null);
  const [{ fetching, error }, update] = useMutation(UpdateCourseDocument);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const priceCents = pesosToCents(price);
    if (priceCents === null) {
      setInvalid('priceCents');
      document.getElementById(`${id}-price`)?.focus();
      return;
    }
    setInvalid(null);
    const input: UpdateCourseInput = {};
    if (title !== course.title) input.title = title;
    if (description !== course.description) input.description = description;
    if (priceCents !== course.priceCents) input.priceCents = priceCents;
    if (currency !== course.currency) input.currency = currency;
    if (language !== course.language) input.language = language;
    if (category !== (course.category ?? '')) input.category = category;
    if (standard.trim().toUpperCase() !== (course.competencyStandardCode ?? '')) input.competencyStandardCode = standard.trim() || null;
    if (Object.keys(input).length === 0) {
      setSaved(true);
      return;
    }
    const result = await update({ id: course.id, input });
    if (result.data) {
      setSaved(true);
      onSaved();
    }
  };

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('teach.details.title')}</h2>
      <form className="teach-form" onSubmit={(event) => void submit(event)} noValidate aria-labelledby={`${id}-heading`}>
        <label htmlFor={`${id}-title`}>{t('teach.field.title')}</label>
        <input id={`${id}-title`} value={title} maxLength={160} onChange={(event) => setTitle(event.target.value)} />
        <label htmlFor={`${id}-description`}>{t('teach.field.description')}</label>
        <textarea
          id={`${id}-description`}
          rows={3}
          maxLength={5000}
          value={description}
          onChange={(event) => setDescription(event.target.value)}
        />
        <div className="teach-row">
          <div>
            <label htmlFor={`${id}-price`}>{t('teach.field.pricePesos')}</label>
            <input
              id={`${id}-price`}
              inputMode="decimal"
              value={price}
              aria-invalid={invalid === 'priceCents' || undefined}
              aria-describedby={invalid === 'priceCents' ? `${id}-price-hint` : undefined}
              onChange={(event) => setPrice(event.target.value)}
            />
            {invalid === 'priceCents' ? (
              <span id={`${id}-price-hint`} className="field-error">
                {t('teach.hint.price')}
              </span>
            ) : null}
          </div>
          <div>
            <label htmlFor={`${id}-currency`}>{t('teach.field.currency')}</label>
            <select id={`${id}-currency`} value={currency} onChange={(event) => setCurrency(event.target.value)}>
              {[...new Set([course.currency, ...CURRENCIES])].map((code) => (
                <option key={code} value={code}>
                  {code}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor={`${id}-language`}>{t('teach.field.language')}</label>
            <select id={`${id}-language`} value={language} onChange={(event) => setLanguage(event.target.value)}>
              {[...new Set([course.language, ...LANGUAGES])].map((tag) => (
                <option key={tag} value={tag}>
                  {(LANGUAGES as readonly string[]).includes(tag) ? t(`teach.language.${tag}` as MessageKey) : tag}
                </option>
              ))}
            </select>
          </div>
        </div>
        <label htmlFor={`${id}-category`}>{t('teach.field.category')}</label>
        <input id={`${id}-category`} value={category} maxLength={60} onChange={(event) => setCategory(event.target.value)} />
        <label htmlFor={`${id}-standard`}>{t('teach.field.standard')}</label>
        <input
          id={`${id}-standard`}
          value={standard}
          placeholder="EC0217.01"
          aria-describedby={`${id}-standard-help`}
          onChange={(event) => setStandard(event.target.value)}
        />
        <span id={`${id}-standard-help`} className="muted field-help">
          {standardTitle ?? t('teach.field.standardHelp')}
        </span>
        <MutationError error={error} />
        <div className="teach-actions">
          <button type="submit" className="button button-primary" disabled={fetching} aria-busy={fetching}>
            {fetching ? t('teach.saving') : t('teach.details.save')}
          </button>
          <span role="status" className="muted">
            {saved && !fetching ? t('teach.details.saved') : ''}
          </span>
        </div>
      </form>
    </section>
  );
}

/** Why publishing was refused, part by part, in words: the issues name modules and lessons by their 1-based positions. */
function publishReason(issue: InputIssue, modules: readonly OutlineModule[], t: ReturnType<typeof useI18n>['t']): string {
  if (issue.field === 'modules') return t('teach.publish.issue.noLesson');
  const path = /^modules\.(\d+)(?:\.lessons\.(\d+)\.(\w+))?$/.exec(issue.field);
  if (path) {
    const modulePosition = Number(path[1]);
    const module = modules[modulePosition - 1];
    if (!path[2]) return t('teach.publish.issue.emptyModule', { position: modulePosition, title: module?.title ?? '' });
    const lessonPosition = Number(path[2]);
    const lesson = module?.lessons[lessonPosition - 1];
    if (path[3] === 'videoUrl')
      return t('teach.publish.issue.videoUrl', { module: modulePosition, position: lessonPosition, title: lesson?.title ?? '' });
  }
  return t('teach.publish.issue.other', { field: issue.field });
}

function PublishPanel({
  course,
  modules,
  onChanged,
}: {
  course: AuthoringCourse;
  modules: readonly OutlineModule[];
  onChanged: () => void;
}) {
  const { t, locale } = useI18n();
  const [publishing, publish] = useMutation(PublishCourseDocument);
  const [archiving, archive] = useMutation(ArchiveCourseDocument);
  const [confirmArchive, setConfirmArchive] = useState(false);
  const [done, setDone] = useState<MessageKey | null>(null);
  const [refusal, setRefusal] = useState<{ message: string; reasons: string[] } | null>(null);

  const doPublish = async () => {
    setDone(null);
    setRefusal(null);
    const result = await publish({ id: course.id });
    if (result.data) {
      setDone('teach.publish.done');
      onChanged();
    } else if (result.error) {
      const issues = inputIssues(result.error);
      setRefusal({
        message: issues.length > 0 ? t('teach.publish.refused') : describeError(result.error, locale).message,
        reasons: issues.map((issue) => publishReason(issue, modules, t)),
      });
    }
  };
  const doArchive = async () => {
    setDone(null);
    setRefusal(null);
    setConfirmArchive(false);
    const result = await archive({ id: course.id });
    if (result.data) {
      setDone('teach.archive.done');
      onChanged();
    } else if (result.error) setRefusal({ message: describeError(result.error, locale).message, reasons: [] });
  };

  return (
    <section className="card" aria-labelledby="teach-publish">
      <h2 id="teach-publish">{t('teach.publish.title')}</h2>
      <p>{t(`teach.publish.state.${course.status}` as MessageKey)}</p>
      <div className="teach-actions">
        {course.status !== 'PUBLISHED' ? (
          <button
            type="button"
            className="button button-primary"
            disabled={publishing.fetching}
            aria-busy={publishing.fetching}
            onClick={() => void doPublish()}
          >
            {publishing.fetching ? t('teach.publish.publishing') : t('teach.publish.submit')}
          </button>
        ) : null}
        {course.status !== 'ARCHIVED' && !confirmArchive ? (
          <button type="button" className="button" disabled={archiving.fetching} onClick={() => setConfirmArchive(true)}>
            {t('teach.archive.submit')}
          </button>
        ) : null}
      </div>
      {confirmArchive ? (
        <div className="teach-confirm" role="group" aria-label={t('teach.archive.confirmLabel')}>
          <p>{t('teach.archive.confirm')}</p>
          <button type="button" className="button button-danger" autoFocus onClick={() => void doArchive()}>
            {t('teach.archive.yes')}
          </button>{' '}
          <button type="button" className="button" onClick={() => setConfirmArchive(false)}>
            {t('teach.cancel')}
          </button>
        </div>
      ) : null}
      <p role="status" className="muted">
        {done ? t(done) : ''}
      </p>
      {refusal ? (
        <div role="alert" className="error" data-testid="publish-refusal">
          <p>{refusal.message}</p>
          {refusal.reasons.length > 0 ? (
            <ul>
              {refusal.reasons.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

const RULES = ['standard-aligned', 'standard-current', 'impact-declared', 'assessment-present', 'content-sufficient', 'published'];

/** The Solarpunk compliance rules (what CONOCER certification asks of the course), each unmet one in words. */
function Compliance({
  report,
  course,
  durationMinutes,
}: {
  report: { compliant: boolean; score: number; issues: { rule: string; message: string }[] };
  course: AuthoringCourse;
  durationMinutes: number;
}) {
  const { t } = useI18n();
  return (
    <>
      <p>
        <span className={`badge ${report.compliant ? 'teach-badge-published' : 'teach-badge-draft'}`} data-testid="compliance-state">
          {report.compliant ? t('teach.compliance.compliant') : t('teach.compliance.notCompliant')}
        </span>{' '}
        {t('teach.compliance.score', { score: Math.round(report.score) })}
      </p>
      <meter min={0} max={100} value={report.score} aria-label={t('teach.compliance.scoreLabel')} className="teach-meter" />
      {report.issues.length > 0 ? (
        <ul className="teach-issues">
          {report.issues.map((issue) => (
            <li key={issue.rule}>
              {RULES.includes(issue.rule)
                ? t(`teach.compliance.rule.${issue.rule}` as MessageKey, {
                    code: course.competencyStandardCode ?? '',
                    score: course.passingScore,
                    minutes: durationMinutes,
                  })
                : issue.message}
            </li>
          ))}
        </ul>
      ) : null}
      <p className="muted">{t('teach.compliance.note')}</p>
    </>
  );
}
