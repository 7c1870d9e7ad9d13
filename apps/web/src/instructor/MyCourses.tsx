import { useId, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { CoursesTaughtDocument, CreateCourseDocument, type ImpactDimension } from '@academy/client';
import { useMutation, useQuery } from '@academy/client/react';
import { useI18n, type MessageKey } from '../i18n';
import { Loading } from '../screens/Loading';
import { QueryError } from '../screens/QueryError';
import { CourseStatusBadge, CURRENCIES, IMPACT_DIMENSIONS, inputIssues, LANGUAGES, MutationError, pesosToCents } from './shared';

/** `#/teach`: the courses I teach (status, enrolments, certificates) and a new one. */
export function MyCourses() {
  const { t } = useI18n();
  return (
    <div className="teach">
      <h1>{t('teach.courses.title')}</h1>
      <CoursesTaught />
      <NewCourse />
    </div>
  );
}

function CoursesTaught() {
  const { t } = useI18n();
  const [{ data, fetching, error }, refetch] = useQuery({ query: CoursesTaughtDocument });
  const courses = data?.me?.coursesTaught ?? [];
  return (
    <section className="card" aria-labelledby="teach-my-courses">
      <h2 id="teach-my-courses">{t('teach.courses.mine')}</h2>
      {fetching && !data ? (
        <Loading />
      ) : error && !data ? (
        <QueryError error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />
      ) : courses.length === 0 ? (
        <p>{t('teach.courses.empty')}</p>
      ) : (
        <table className="teach-table">
          <caption className="visually-hidden">{t('teach.courses.mine')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('teach.courses.course')}</th>
              <th scope="col">{t('teach.courses.status')}</th>
              <th scope="col" className="numeric">
                {t('teach.courses.enrollments')}
              </th>
              <th scope="col" className="numeric">
                {t('teach.courses.certificates')}
              </th>
              <th scope="col">{t('teach.courses.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {courses.map((course) => (
              <tr key={course.id} data-testid="taught-course">
                <th scope="row" className="teach-course-title">
                  <Link to={`/teach/courses/${course.id}`}>{course.title}</Link>
                </th>
                <td>
                  <CourseStatusBadge status={course.status} />
                </td>
                <td className="numeric">{course.enrollmentCount}</td>
                <td className="numeric">{course.certificateCount}</td>
                <td>
                  <Link to={`/teach/courses/${course.id}/analytics`}>
                    {t('teach.courses.analytics')}
                    <span className="visually-hidden">{t('teach.courses.ofTitle', { title: course.title })}</span>
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** What a new course needs: its details and a first module with a first lesson (the API asks for them). */
function NewCourse() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const id = useId();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [price, setPrice] = useState('0');
  const [currency, setCurrency] = useState<string>('MXN');
  const [language, setLanguage] = useState<string>('es-MX');
  const [standard, setStandard] = useState('');
  const [passingScore, setPassingScore] = useState('80');
  const [impact, setImpact] = useState<ImpactDimension[]>([]);
  const [moduleTitle, setModuleTitle] = useState('');
  const [lessonTitle, setLessonTitle] = useState('');
  const [lessonMinutes, setLessonMinutes] = useState('30');
  const [invalid, setInvalid] = useState<string[]>([]);
  const [{ fetching, error }, create] = useMutation(CreateCourseDocument);

  const priceCents = pesosToCents(price);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const score = Number(passingScore);
    const minutes = Number(lessonMinutes);
    const problems = [
      !title.trim() && 'title',
      !description.trim() && 'description',
      (priceCents === null || priceCents > 100_000_000) && 'priceCents',
      !(Number.isInteger(score) && score >= 0 && score <= 100) && 'passingScore',
      !moduleTitle.trim() && 'moduleTitle',
      !lessonTitle.trim() && 'lessonTitle',
      !(Number.isInteger(minutes) && minutes >= 1 && minutes <= 1440) && 'lessonMinutes',
    ].filter((problem): problem is string => !!problem);
    setInvalid(problems);
    if (problems.length > 0) {
      document.getElementById(`${id}-${problems[0]}`)?.focus();
      return;
    }
    const result = await create({
      input: {
        title: title.trim(),
        description: description.trim(),
        priceCents: priceCents!,
        currency,
        language,
        passingScore: score,
        ...(standard.trim() ? { competencyStandardCode: standard.trim() } : {}),
        impactDimensions: impact,
        modules: [{ title: moduleTitle.trim(), lessons: [{ title: lessonTitle.trim(), durationMinutes: minutes }] }],
      },
    });
    if (result.data) navigate(`/teach/courses/${result.data.createCourse.id}`);
    else setInvalid(inputIssues(result.error).map((issue) => issue.field.split('.').pop() ?? issue.field));
  };

  const field = (name: string) => ({
    id: `${id}-${name}`,
    'aria-invalid': invalid.includes(name) || undefined,
    'aria-describedby': invalid.includes(name) ? `${id}-${name}-hint` : undefined,
  });
  const hint = (name: string, key: MessageKey) =>
    invalid.includes(name) ? (
      <span id={`${id}-${name}-hint`} className="field-error">
        {t(key)}
      </span>
    ) : null;

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('teach.new.title')}</h2>
      <p className="muted">{t('teach.new.intro')}</p>
      <form className="teach-form" onSubmit={(event) => void submit(event)} noValidate aria-labelledby={`${id}-heading`}>
        <label htmlFor={`${id}-title`}>{t('teach.field.title')}</label>
        <input {...field('title')} value={title} maxLength={160} required onChange={(event) => setTitle(event.target.value)} />
        {hint('title', 'teach.hint.required')}
        <label htmlFor={`${id}-description`}>{t('teach.field.description')}</label>
        <textarea
          {...field('description')}
          rows={3}
          maxLength={5000}
          required
          value={description}
          onChange={(event) => setDescription(event.target.value)}
        />
        {hint('description', 'teach.hint.required')}
        <div className="teach-row">
          <div>
            <label htmlFor={`${id}-priceCents`}>{t('teach.field.pricePesos')}</label>
            <input {...field('priceCents')} inputMode="decimal" value={price} onChange={(event) => setPrice(event.target.value)} />
            {hint('priceCents', 'teach.hint.price')}
          </div>
          <div>
            <label htmlFor={`${id}-currency`}>{t('teach.field.currency')}</label>
            <select id={`${id}-currency`} value={currency} onChange={(event) => setCurrency(event.target.value)}>
              {CURRENCIES.map((code) => (
                <option key={code} value={code}>
                  {code}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor={`${id}-language`}>{t('teach.field.language')}</label>
            <select id={`${id}-language`} value={language} onChange={(event) => setLanguage(event.target.value)}>
              {LANGUAGES.map((tag) => (
                <option key={tag} value={tag}>
                  {t(`teach.language.${tag}` as MessageKey)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor={`${id}-passingScore`}>{t('teach.field.passingScore')}</label>
            <input
              {...field('passingScore')}
              type="number"
              min={0}
              max={100}
              value={passingScore}
              onChange={(event) => setPassingScore(event.target.value)}
            />
            {hint('passingScore', 'teach.hint.score')}
          </div>
        </div>
        <label htmlFor={`${id}-competencyStandardCode`}>{t('teach.field.standard')}</label>
        <input
          {...field('competencyStandardCode')}
          value={standard}
          placeholder="EC0217.01"
          aria-describedby={`${id}-standard-help`}
          onChange={(event) => setStandard(event.target.value)}
        />
        <span id={`${id}-standard-help`} className="muted field-help">
          {t('teach.field.standardHelp')}
        </span>
        <fieldset className="teach-checkboxes">
          <legend>{t('teach.field.impact')}</legend>
          {IMPACT_DIMENSIONS.map((dimension) => (
            <label key={dimension}>
              <input
                type="checkbox"
                checked={impact.includes(dimension)}
                onChange={(event) =>
                  setImpact((chosen) => (event.target.checked ? [...chosen, dimension] : chosen.filter((one) => one !== dimension)))
                }
              />
              {t(`impact.${dimension}` as MessageKey)}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('teach.new.firstModule')}</legend>
          <label htmlFor={`${id}-moduleTitle`}>{t('teach.field.moduleTitle')}</label>
          <input {...field('moduleTitle')} value={moduleTitle} maxLength={160} onChange={(event) => setModuleTitle(event.target.value)} />
          {hint('moduleTitle', 'teach.hint.required')}
          <div className="teach-row">
            <div className="grow">
              <label htmlFor={`${id}-lessonTitle`}>{t('teach.field.lessonTitle')}</label>
              <input
                {...field('lessonTitle')}
                value={lessonTitle}
                maxLength={160}
                onChange={(event) => setLessonTitle(event.target.value)}
              />
              {hint('lessonTitle', 'teach.hint.required')}
            </div>
            <div>
              <label htmlFor={`${id}-lessonMinutes`}>{t('teach.field.duration')}</label>
              <input
                {...field('lessonMinutes')}
                type="number"
                min={1}
                max={1440}
                value={lessonMinutes}
                onChange={(event) => setLessonMinutes(event.target.value)}
              />
              {hint('lessonMinutes', 'teach.hint.minutes')}
            </div>
          </div>
        </fieldset>
        <MutationError error={error} />
        <button type="submit" className="button button-primary" disabled={fetching} aria-busy={fetching}>
          {fetching ? t('teach.new.creating') : t('teach.new.submit')}
        </button>
      </form>
    </section>
  );
}
