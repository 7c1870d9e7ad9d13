import { lazy, Suspense, useEffect, useId, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { ImpactReportDocument, TenantAnalyticsDocument, type ReportPeriod } from '@academy/client';
import { useAcademyClient, useQuery } from '@academy/client/react';
import { useI18n, type MessageKey } from '../i18n';
import { Loading } from '../screens/Loading';
import { QueryError } from '../screens/QueryError';
import { downloadImpactCsv } from './impactCsv';
import { Outcome, useNumbers, useRefusal, type Refusal } from './shared';

// recharts only when the chart is drawn: a chunk of its own.
const TrendChart = lazy(() => import('./TrendChart'));

export const PERIODS: readonly ReportPeriod[] = ['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR', 'ALL_TIME'];
const DEFAULT_PERIOD: ReportPeriod = 'MONTH';
/** How long each trend point of a period lasts (the API's sub-periods). */
const TREND_STEP: Record<ReportPeriod, 'DAY' | 'MONTH' | 'YEAR'> = {
  DAY: 'DAY',
  WEEK: 'DAY',
  MONTH: 'DAY',
  QUARTER: 'MONTH',
  YEAR: 'MONTH',
  ALL_TIME: 'YEAR',
};
const STEP_FORMAT: Record<'DAY' | 'MONTH' | 'YEAR', Intl.DateTimeFormatOptions> = {
  DAY: { day: 'numeric', month: 'short', timeZone: 'UTC' },
  MONTH: { month: 'short', year: 'numeric', timeZone: 'UTC' },
  YEAR: { year: 'numeric', timeZone: 'UTC' },
};

function periodOf(value: string | null): ReportPeriod {
  return (PERIODS as readonly string[]).includes(value ?? '') ? (value as ReportPeriod) : DEFAULT_PERIOD;
}

/** `#/admin?period=YEAR`: the tenant's impact in a period, its trend, the CSV of it and the period's figures. */
export function ImpactScreen() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const fromUrl = periodOf(params.get('period'));
  // Checked at once (the router's navigation may commit later), and following the link's period.
  const [period, setPeriod] = useState(fromUrl);
  useEffect(() => setPeriod(fromUrl), [fromUrl]);
  const choose = (next: ReportPeriod) => {
    setPeriod(next);
    setParams(next === DEFAULT_PERIOD ? {} : { period: next }, { replace: true });
  };
  return (
    <section aria-labelledby="admin-impact-title" className="admin-impact">
      <h1 id="admin-impact-title">{t('admin.impact.title')}</h1>
      <fieldset className="admin-periods">
        <legend>{t('admin.period.legend')}</legend>
        {PERIODS.map((option) => (
          <label key={option}>
            <input type="radio" name="admin-period" value={option} checked={option === period} onChange={() => choose(option)} />
            <span>{t(`admin.period.${option}` as MessageKey)}</span>
          </label>
        ))}
      </fieldset>
      <ImpactReport period={period} />
      <TenantFigures period={period} />
    </section>
  );
}

function ImpactReport({ period }: { period: ReportPeriod }) {
  const { t, locale } = useI18n();
  const numbers = useNumbers();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: ImpactReportDocument,
    variables: { scope: 'TENANT', period },
  });
  const report = data?.impactReport;
  const dates = useMemo(() => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }), [locale]);
  const trendLabel = useMemo(() => new Intl.DateTimeFormat(locale, STEP_FORMAT[TREND_STEP[period]]), [locale, period]);
  const points = useMemo(
    () =>
      (report?.trend ?? []).map((point) => ({
        label: trendLabel.format(new Date(point.periodStart)),
        overall: point.overall,
        eventCount: point.eventCount,
      })),
    [report, trendLabel],
  );
  const tableId = useId();

  if (fetching && !report) return <Loading label={t('admin.impact.loading')} />;
  if (error && !report) return <QueryError error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />;
  if (!report) return null;
  const range = report.from
    ? t('admin.impact.range', { from: dates.format(new Date(report.from)), to: dates.format(new Date(report.to)) })
    : t('admin.impact.rangeAll', { to: dates.format(new Date(report.to)) });
  return (
    <div className="admin-impact-report" aria-busy={fetching}>
      <p className="muted" data-testid="admin-impact-range">
        {range}
      </p>
      {fetching ? <Loading label={t('admin.impact.updating')} /> : null}
      <div className="admin-impact-grid">
        <div className="card">
          <h2>{t('admin.impact.figures')}</h2>
          <dl className="admin-stats">
            <div>
              <dt>{t('admin.impact.overall')}</dt>
              <dd className="admin-stat-main">{numbers.score(report.overall)}</dd>
            </div>
            <div>
              <dt>{t('admin.impact.events')}</dt>
              <dd>{numbers.count(report.eventCount)}</dd>
            </div>
            <div>
              <dt>{t('admin.impact.participants')}</dt>
              <dd>{numbers.count(report.participantCount)}</dd>
            </div>
          </dl>
          <CsvDownload period={period} />
        </div>
        <div className="card">
          <table className="admin-table admin-dimensions">
            <caption>{t('admin.impact.dimensions')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.impact.dimension')}</th>
                <th scope="col">{t('admin.impact.score')}</th>
              </tr>
            </thead>
            <tbody>
              {report.scores.map((score) => (
                <tr key={score.dimension}>
                  <th scope="row">{t(`impact.${score.dimension}` as MessageKey)}</th>
                  <td>
                    <span className="admin-score">
                      <meter min={0} max={100} value={score.score} aria-hidden="true" />
                      <span>{numbers.score(score.score)}</span>
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <section className="card admin-trend" aria-labelledby={`${tableId}-title`}>
        <h2 id={`${tableId}-title`}>{t('admin.impact.trend')}</h2>
        {points.length === 0 ? (
          <p>{t('admin.impact.trendEmpty')}</p>
        ) : (
          <>
            <Suspense fallback={<Loading label={t('admin.impact.chartLoading')} />}>
              <TrendChart points={points} />
            </Suspense>
            <details>
              <summary>{t('admin.impact.trendTable')}</summary>
              <table className="admin-table">
                <caption className="visually-hidden">{t('admin.impact.trend')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('admin.impact.trendPeriod')}</th>
                    <th scope="col">{t('admin.impact.overall')}</th>
                    <th scope="col">{t('admin.impact.events')}</th>
                  </tr>
                </thead>
                <tbody>
                  {points.map((point, index) => (
                    <tr key={report.trend[index]!.periodStart}>
                      <th scope="row">{point.label}</th>
                      <td>{numbers.score(point.overall)}</td>
                      <td>{numbers.count(point.eventCount)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          </>
        )}
      </section>
    </div>
  );
}

/** "Descargar CSV": the same report as a file, for spreadsheets. */
function CsvDownload({ period }: { period: ReportPeriod }) {
  const { t } = useI18n();
  const client = useAcademyClient();
  const refusalOf = useRefusal();
  const [state, setState] = useState<{ busy: boolean; done: string | null; refusal: Refusal | null }>({
    busy: false,
    done: null,
    refusal: null,
  });
  const download = async () => {
    setState({ busy: true, done: null, refusal: null });
    try {
      const name = await downloadImpactCsv(client, period);
      setState({ busy: false, done: t('admin.impact.csvDone', { name }), refusal: null });
    } catch (error) {
      setState({ busy: false, done: null, refusal: refusalOf(error) });
    }
  };
  return (
    <div className="admin-csv">
      <button type="button" className="button button-primary" onClick={() => void download()} disabled={state.busy} aria-busy={state.busy}>
        {state.busy ? t('admin.impact.csvBusy') : t('admin.impact.csv')}
      </button>
      <p className="muted admin-hint">{t('admin.impact.csvHint', { period: t(`admin.period.${period}` as MessageKey) })}</p>
      <Outcome done={state.done} refusal={state.refusal} />
    </div>
  );
}

/** The period's activity and income (TenantAnalytics). */
function TenantFigures({ period }: { period: ReportPeriod }) {
  const { t, formatMoney } = useI18n();
  const numbers = useNumbers();
  const [{ data, fetching, error }, refetch] = useQuery({ query: TenantAnalyticsDocument, variables: { period } });
  const figures = data?.tenantAnalytics;
  return (
    <section className="card admin-activity" aria-labelledby="admin-activity-title">
      <h2 id="admin-activity-title">{t('admin.activity.title')}</h2>
      {fetching && !figures ? (
        <Loading />
      ) : error && !figures ? (
        <QueryError error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />
      ) : figures ? (
        <>
          <dl className="admin-stats admin-stats-row">
            <div>
              <dt>{t('admin.activity.activeLearners')}</dt>
              <dd>{numbers.count(figures.activeLearners)}</dd>
            </div>
            <div>
              <dt>{t('admin.activity.newEnrollments')}</dt>
              <dd>{numbers.count(figures.newEnrollments)}</dd>
            </div>
            <div>
              <dt>{t('admin.activity.completions')}</dt>
              <dd>{numbers.count(figures.completions)}</dd>
            </div>
            <div>
              <dt>{t('admin.activity.certificates')}</dt>
              <dd>{numbers.count(figures.certificatesIssued)}</dd>
            </div>
            <div>
              <dt>{t('admin.activity.conocer')}</dt>
              <dd>{numbers.count(figures.conocerApproved)}</dd>
            </div>
            <div>
              <dt>{t('admin.activity.revenue')}</dt>
              <dd>{formatMoney(figures.revenueCents, figures.currency)}</dd>
            </div>
          </dl>
          {figures.topCourses.length > 0 ? (
            <>
              <h3>{t('admin.activity.topCourses')}</h3>
              <ol className="admin-top-courses">
                {figures.topCourses.map((course) => (
                  <li key={course.id}>
                    {course.title} <span className="muted">{t('admin.activity.enrolled', { count: course.enrollmentCount })}</span>
                  </li>
                ))}
              </ol>
            </>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
