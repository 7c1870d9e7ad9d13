import { lazy, Suspense, useId, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { CourseAnalyticsDashboardDocument, CourseLearnersDocument, type EnrollmentStatus } from '@academy/client';
import { useQuery } from '@academy/client/react';
import { useI18n, type MessageKey } from '../i18n';
import { Loading } from '../screens/Loading';
import { QueryError } from '../screens/QueryError';
import { useCursorPages } from '../screens/cursor-pages';

// recharts is large: the charts are their own chunk, fetched only when analytics are opened.
const AnalyticsCharts = lazy(() => import('./AnalyticsCharts'));

const DAYS = [7, 30, 90] as const;
const LEARNERS_PAGE = 10;

/** `?first=25`: another page size for the learners (1 to 50), kept in the link. */
function pageSizeOf(value: string | null): number {
  const size = Number(value);
  return Number.isInteger(size) && size >= 1 && size <= 50 ? size : LEARNERS_PAGE;
}
const STATUSES: readonly EnrollmentStatus[] = ['ACTIVE', 'COMPLETED', 'CANCELLED'];

/** `#/teach/courses/:id/analytics`: the course's figures, charts and its learners' progress. */
export function CourseAnalytics() {
  const { t, formatMoney } = useI18n();
  const { id = '' } = useParams();
  const daysId = useId();
  const pageSize = pageSizeOf(useSearchParams()[0].get('first'));
  const [days, setDays] = useState<number>(30);
  const [{ data, fetching, error }, refetch] = useQuery({ query: CourseAnalyticsDashboardDocument, variables: { courseId: id, days } });
  const course = data?.course;
  const analytics = course?.analytics;
  const percent = (ratio: number | null | undefined) => (ratio === null || ratio === undefined ? '—' : `${Math.round(ratio * 100)} %`);

  return (
    <div className="teach">
      <nav aria-label={t('teach.course.breadcrumbs')} className="teach-breadcrumbs">
        <Link to="/teach">{t('teach.course.back')}</Link>
        <Link to={`/teach/courses/${id}`}>{t('teach.analytics.edit')}</Link>
      </nav>
      <h1>{course ? t('teach.analytics.title', { title: course.title }) : t('teach.analytics.heading')}</h1>
      {fetching && !data ? (
        <Loading />
      ) : error && !data ? (
        <QueryError error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />
      ) : course && analytics ? (
        <>
          <section className="card" aria-labelledby="teach-figures">
            <h2 id="teach-figures">{t('teach.analytics.figures')}</h2>
            <dl className="teach-figures">
              <Figure label={t('teach.analytics.enrollments')} value={String(analytics.enrollmentCount)} testId="figure-enrollments" />
              <Figure label={t('teach.analytics.active')} value={String(analytics.activeCount)} />
              <Figure label={t('teach.analytics.completed')} value={String(analytics.completedCount)} />
              <Figure label={t('teach.analytics.completionRate')} value={percent(analytics.completionRate)} />
              <Figure label={t('teach.analytics.averageProgress')} value={`${Math.round(analytics.averageProgressPercent)} %`} />
              <Figure
                label={t('teach.analytics.averageScore')}
                value={analytics.averageScore === null ? '—' : String(Math.round(analytics.averageScore))}
              />
              <Figure label={t('teach.analytics.passRate')} value={percent(analytics.passRate)} />
              <Figure label={t('teach.analytics.revenue')} value={formatMoney(analytics.revenueCents, course.currency)} />
              <Figure
                label={t('teach.analytics.rating')}
                value={
                  analytics.rating.average === null
                    ? t('teach.analytics.noRating')
                    : t('teach.analytics.ratingValue', { average: analytics.rating.average.toFixed(1), count: analytics.rating.count })
                }
              />
            </dl>
          </section>
          <section className="card" aria-labelledby="teach-charts">
            <div className="teach-heading">
              <h2 id="teach-charts">{t('teach.analytics.charts')}</h2>
              <label htmlFor={daysId} className="teach-inline-label">
                {t('teach.analytics.days')}
                <select id={daysId} value={days} onChange={(event) => setDays(Number(event.target.value))}>
                  {DAYS.map((option) => (
                    <option key={option} value={option}>
                      {t('teach.analytics.lastDays', { count: option })}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            {fetching ? <Loading /> : null}
            <Suspense fallback={<Loading label={t('teach.analytics.loadingCharts')} />}>
              <AnalyticsCharts
                byDay={analytics.enrollmentsByDay}
                funnel={analytics.funnel.map((point) => ({ title: point.lesson.title, completed: point.completedCount }))}
                distribution={analytics.rating.distribution}
                labels={{
                  byDay: t('teach.analytics.byDay'),
                  funnel: t('teach.analytics.funnel'),
                  ratings: t('teach.analytics.ratings'),
                  enrollments: t('teach.analytics.enrollments'),
                  completed: t('teach.analytics.completedLesson'),
                  reviews: t('teach.analytics.reviews'),
                  stars: (count: number) => t('teach.analytics.stars', { count }),
                }}
              />
            </Suspense>
            <details className="teach-data">
              <summary>{t('teach.analytics.funnelTable')}</summary>
              <table className="teach-table">
                <thead>
                  <tr>
                    <th scope="col">{t('teach.analytics.lesson')}</th>
                    <th scope="col" className="numeric">
                      {t('teach.analytics.completedLesson')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {analytics.funnel.map((point) => (
                    <tr key={point.lesson.id}>
                      <th scope="row">{point.lesson.title}</th>
                      <td className="numeric">{point.completedCount}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
            <details className="teach-data">
              <summary>{t('teach.analytics.byDayTable')}</summary>
              <table className="teach-table">
                <thead>
                  <tr>
                    <th scope="col">{t('teach.analytics.date')}</th>
                    <th scope="col" className="numeric">
                      {t('teach.analytics.enrollments')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {analytics.enrollmentsByDay.map((day) => (
                    <tr key={day.date}>
                      <th scope="row">{day.date}</th>
                      <td className="numeric">{day.count}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          </section>
          <Learners key={pageSize} courseId={course.id} pageSize={pageSize} />
        </>
      ) : null}
    </div>
  );
}

function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="teach-figure">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}

/** The course's learners and their progress, newest first, a page at a time by cursor (the cursors of the pages seen, to go back). */
function Learners({ courseId, pageSize }: { courseId: string; pageSize: number }) {
  const { t, formatDate } = useI18n();
  const statusId = useId();
  const [status, setStatus] = useState<EnrollmentStatus | ''>('');
  const pages = useCursorPages();
  const { after } = pages;
  const [{ data, fetching, error }, refetch] = useQuery({
    query: CourseLearnersDocument,
    variables: { courseId, first: pageSize, after, ...(status ? { status } : {}) },
  });
  const page = data?.course?.enrollments;

  return (
    <section className="card" aria-labelledby="teach-learners">
      <div className="teach-heading">
        <h2 id="teach-learners">{t('teach.learners.title')}</h2>
        <label htmlFor={statusId} className="teach-inline-label">
          {t('teach.learners.status')}
          <select
            id={statusId}
            value={status}
            onChange={(event) => {
              setStatus(event.target.value as EnrollmentStatus | '');
              pages.reset();
            }}
          >
            <option value="">{t('teach.learners.all')}</option>
            {STATUSES.map((option) => (
              <option key={option} value={option}>
                {t(`courses.status.${option}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {fetching && !page ? (
        <Loading />
      ) : error && !page ? (
        <QueryError error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />
      ) : page ? (
        <>
          <p role="status" className="muted">
            {fetching ? t('app.loading') : t('teach.learners.count', { count: page.totalCount })}
          </p>
          {page.edges.length === 0 ? (
            <p>{t('teach.learners.empty')}</p>
          ) : (
            <table className="teach-table" aria-busy={fetching}>
              <caption className="visually-hidden">{t('teach.learners.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('teach.learners.name')}</th>
                  <th scope="col">{t('teach.learners.status')}</th>
                  <th scope="col">{t('teach.learners.progress')}</th>
                  <th scope="col" className="numeric">
                    {t('teach.learners.score')}
                  </th>
                  <th scope="col">{t('teach.learners.enrolledAt')}</th>
                  <th scope="col">{t('teach.learners.lastActivity')}</th>
                </tr>
              </thead>
              <tbody>
                {page.edges.map(({ node }) => (
                  <tr key={node.id} data-testid="learner-row">
                    <th scope="row" className="teach-learner-name">
                      {node.learner.name}
                    </th>
                    <td>
                      <span className={`badge badge-${node.status.toLowerCase()}`}>{t(`courses.status.${node.status}` as MessageKey)}</span>
                    </td>
                    <td>
                      <div className="progress-line">
                        <progress
                          max={100}
                          value={node.progressPercent}
                          aria-label={t('teach.learners.progressOf', { name: node.learner.name })}
                        />
                        <span className="teach-progress">{Math.round(node.progressPercent)} %</span>
                      </div>
                    </td>
                    <td className="numeric">{node.finalScore ?? '—'}</td>
                    <td>{formatDate(node.enrolledAt)}</td>
                    <td>{node.lastActivityAt ? formatDate(node.lastActivityAt) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <nav aria-label={t('teach.learners.pages')} className="pager">
            <button type="button" className="button" disabled={pages.page === 1 || fetching} onClick={pages.previous}>
              {t('teach.learners.previous')}
            </button>
            <button
              type="button"
              className="button"
              disabled={!page.pageInfo.hasNextPage || fetching}
              onClick={() => pages.next(page.pageInfo.endCursor)}
            >
              {t('teach.learners.next')}
            </button>
          </nav>
        </>
      ) : null}
    </section>
  );
}
