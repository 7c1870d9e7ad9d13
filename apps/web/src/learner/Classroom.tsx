import { useState } from 'react';
import Markdown from 'react-markdown';
import { Link, useParams } from 'react-router';
import { CompleteLessonDocument, CourseClassroomDocument, describeError } from '@academy/client';
import { useMutation, useQuery } from '@academy/client/react';
import { useI18n, type MessageKey } from '../i18n';
import { Loading } from '../screens/Loading';
import { QueryError } from '../screens/QueryError';
import { Assessment, AssessmentResult, type AssessmentGrade } from './Assessment';
import './learner.css';

/**
 * The course player: the outline with what is done, one lesson at a time (its Markdown rendered
 * by react-markdown: raw HTML stays text, links only http/https/mailto), completing lessons, and
 * the graded assessment once every lesson is done.
 */
export function Classroom() {
  const { courseId = '' } = useParams();
  const { t, locale } = useI18n();
  const [{ data, fetching, error }, refetch] = useQuery({ query: CourseClassroomDocument, variables: { id: courseId } });
  const [completing, complete] = useMutation(CompleteLessonDocument);
  const [selected, setSelected] = useState<string | null>(null);
  // The attempt graded in this visit: still shown once it has completed the course.
  const [graded, setGraded] = useState<AssessmentGrade | null>(null);
  const course = data?.course;
  if (fetching && !data) return <Loading />;
  if (error && !data) return <QueryError error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />;
  const enrollment = course?.viewerEnrollment;
  if (!course || !enrollment || enrollment.status === 'CANCELLED')
    return (
      <section className="card">
        <h1>{t('classroom.notEnrolled')}</h1>
        <Link to="/catalogue">{t('app.nav.catalogue')}</Link>
      </section>
    );

  const lessons = course.modules.flatMap((module) => module.lessons);
  const done = new Set(enrollment.completedLessonIds);
  const current = lessons.find((lesson) => lesson.id === selected) ?? lessons.find((lesson) => !done.has(lesson.id)) ?? lessons[0];
  const next = current ? lessons[lessons.indexOf(current) + 1] : undefined;
  const allDone = lessons.every((lesson) => done.has(lesson.id));

  const markDone = async (lessonId: string) => {
    const result = await complete({ enrollmentId: enrollment.id, lessonId });
    if (!result.data) return;
    if (next) setSelected(next.id);
    // The client's cache is per document: the classroom asks again for the enrollment's progress.
    refetch({ requestPolicy: 'network-only' });
  };

  return (
    <div className="classroom">
      <nav className="card outline-nav" aria-labelledby="classroom-title">
        <h1 id="classroom-title">{course.title}</h1>
        <div className="progress-line">
          <progress max={100} value={enrollment.progressPercent} aria-label={t('courses.progress', { title: course.title })} />
          <span data-testid="progress">{Math.round(enrollment.progressPercent)} %</span>
        </div>
        <ol className="outline">
          {course.modules.map((module) => (
            <li key={module.id}>
              <strong>{module.title}</strong>
              <ol>
                {module.lessons.map((lesson) => (
                  <li key={lesson.id}>
                    <button
                      type="button"
                      className="link-button"
                      aria-current={lesson.id === current?.id ? 'step' : undefined}
                      onClick={() => setSelected(lesson.id)}
                    >
                      <span aria-hidden="true">{done.has(lesson.id) ? '✓ ' : '○ '}</span>
                      {lesson.title}
                      <span className="visually-hidden">{done.has(lesson.id) ? t('classroom.doneSuffix') : ''}</span>
                    </button>
                  </li>
                ))}
              </ol>
            </li>
          ))}
        </ol>
        {course.evaluationCriteria.length > 0 ? (
          <p>
            <Link to={`/portfolios/${enrollment.id}`}>{t('classroom.portfolio')}</Link>
          </p>
        ) : null}
      </nav>
      <div className="classroom-main">
        {current ? (
          <article className="card lesson" aria-labelledby="lesson-title">
            <p className="muted">
              {t(`classroom.kind.${current.kind}` as MessageKey)} · {t('course.minutes', { count: current.durationMinutes })}
            </p>
            <h2 id="lesson-title">{current.title}</h2>
            {current.videoUrl ? (
              <p>
                <a href={current.videoUrl} target="_blank" rel="noopener noreferrer">
                  {t('classroom.video')}
                </a>
              </p>
            ) : null}
            <div className="lesson-body">
              {current.body ? <Markdown>{current.body}</Markdown> : <p className="muted">{t('classroom.noBody')}</p>}
            </div>
            {current.attachments.length > 0 ? (
              <>
                <h3>{t('classroom.attachments')}</h3>
                <ul>
                  {current.attachments.map((file) =>
                    file.url ? (
                      <li key={file.id}>
                        <a href={file.url} target="_blank" rel="noopener noreferrer">
                          {file.name}
                        </a>
                      </li>
                    ) : null,
                  )}
                </ul>
              </>
            ) : null}
            {done.has(current.id) ? (
              <p className="muted">{t('classroom.lessonDone')}</p>
            ) : (
              <button
                type="button"
                className="button button-primary"
                disabled={completing.fetching || enrollment.status !== 'ACTIVE'}
                aria-busy={completing.fetching}
                onClick={() => void markDone(current.id)}
              >
                {t('classroom.complete')}
              </button>
            )}
            {completing.error ? (
              <p role="alert" className="error">
                {describeError(completing.error, locale).message}
              </p>
            ) : null}
          </article>
        ) : null}
        {enrollment.status === 'COMPLETED' ? (
          <section className="card" aria-labelledby="finished-title">
            <h2 id="finished-title">{t('classroom.finished')}</h2>
            {graded ? <AssessmentResult result={graded} /> : null}
            <Link className="button button-primary" to="/">
              {t('classroom.toCertificates')}
            </Link>
          </section>
        ) : allDone ? (
          <Assessment
            enrollmentId={enrollment.id}
            attemptsRemaining={enrollment.attemptsRemaining ?? null}
            onFinished={(result) => {
              setGraded(result);
              refetch({ requestPolicy: 'network-only' });
            }}
          />
        ) : null}
      </div>
    </div>
  );
}
