import { lazy, Suspense, useEffect, useState } from 'react';
import { Link } from 'react-router';
import {
  CertificateDocumentDocument,
  CertificationStatusDocument,
  describeError,
  ImpactReportDocument,
  MyCertificatesDocument,
  MyEnrollmentsDocument,
  RequestConocerCertificationDocument,
  ViewerDocument,
} from '@academy/client';
import { useAcademyClient, useMutation, useQuery, useSubscription } from '@academy/client/react';
import { useI18n, type MessageKey } from '../i18n';
import { CurpForm } from '../learner/CurpForm';
import { Loading } from './Loading';
import { QueryError } from './QueryError';

const ImpactChart = lazy(() => import('./ImpactChart'));

/** The learner's home: their courses with progress, their certificates, their impact. */
export function Dashboard() {
  const { t } = useI18n();
  const [{ data }] = useQuery({ query: ViewerDocument });
  return (
    <div className="dashboard">
      <h1>{data?.me ? t('dashboard.greeting', { name: data.me.name }) : t('dashboard.title')}</h1>
      <div className="dashboard-grid">
        <MyCourses />
        <MyImpact />
        <MyCertificates />
      </div>
    </div>
  );
}

function MyCourses() {
  const { t } = useI18n();
  const [{ data, fetching, error }, refetch] = useQuery({ query: MyEnrollmentsDocument, variables: {} });
  const enrollments = data?.me?.enrollments ?? [];
  return (
    <section className="card" aria-labelledby="my-courses">
      <h2 id="my-courses">{t('courses.title')}</h2>
      {fetching && !data ? (
        <Loading />
      ) : error && !data ? (
        <QueryError error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />
      ) : enrollments.length === 0 ? (
        <p>{t('courses.empty')}</p>
      ) : (
        <ul className="course-list">
          {enrollments.map((enrollment) => (
            <li key={enrollment.id}>
              <div className="course-line">
                <Link className="course-title" to={`/learn/${enrollment.course.id}`}>
                  {enrollment.course.title}
                </Link>
                <span className={`badge badge-${enrollment.status.toLowerCase()}`}>
                  {t(`courses.status.${enrollment.status}` as MessageKey)}
                </span>
              </div>
              <div className="progress-line">
                <progress
                  max={100}
                  value={enrollment.progressPercent}
                  aria-label={t('courses.progress', { title: enrollment.course.title })}
                />
                <span>{Math.round(enrollment.progressPercent)} %</span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function MyCertificates() {
  const { t, formatDate } = useI18n();
  const [{ data, fetching, error }, refetch] = useQuery({ query: MyCertificatesDocument });
  const certificates = data?.me?.certificates ?? [];
  // CONOCER's decisions arrive live (graphql-ws): the newest status of each certificate wins.
  const [live, setLive] = useState<Record<string, string>>({});
  const [{ data: event }] = useSubscription({ query: CertificationStatusDocument, variables: {} });
  const change = event?.certificationStatusChanged;
  useEffect(() => {
    if (change) setLive((known) => ({ ...known, [change.certificate.id]: change.status }));
  }, [change]);
  return (
    <section className="card" aria-labelledby="my-certificates">
      <h2 id="my-certificates">{t('certificates.title')}</h2>
      {fetching && !data ? (
        <Loading />
      ) : error && !data ? (
        <QueryError error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />
      ) : certificates.length === 0 ? (
        <p>{t('certificates.empty')}</p>
      ) : (
        <ul className="certificate-list">
          {certificates.map((certificate) => (
            <li key={certificate.id} className="certificate">
              <h3>{certificate.course.title}</h3>
              <dl>
                <dt>{t('certificates.code')}</dt>
                <dd>
                  <code>{certificate.verificationCode}</code>
                </dd>
                <dt>{t('certificates.conocer')}</dt>
                <dd>
                  <ConocerStatus
                    certificateId={certificate.id}
                    status={live[certificate.id] ?? certificate.conocerStatus}
                    requestable={certificate.status === 'ISSUED' && certificate.course.competencyStandardCode !== null}
                    onRequested={(status) => setLive((known) => ({ ...known, [certificate.id]: status }))}
                  />
                </dd>
              </dl>
              <p className="muted">
                {certificate.status === 'REVOKED'
                  ? t('certificates.revoked')
                  : t('certificates.issued', { date: formatDate(certificate.issuedAt) })}
              </p>
              <CertificatePdf id={certificate.id} title={certificate.course.title} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A certificate's standing at CONOCER (live), and the request for it while none was made. */
function ConocerStatus(props: { certificateId: string; status: string; requestable: boolean; onRequested: (status: string) => void }) {
  const { t, locale } = useI18n();
  const [{ fetching, error }, request] = useMutation(RequestConocerCertificationDocument);
  const ask = async () => {
    const result = await request({ certificateId: props.certificateId });
    if (result.data) props.onRequested(result.data.requestConocerCertification.status);
  };
  // CONOCER needs the learner's CURP: asked for here, then the request goes again.
  const needsCurp = error?.graphQLErrors.some((cause) =>
    ((cause.extensions?.issues ?? []) as { field?: string }[]).some((issue) => issue.field === 'curp'),
  );
  return (
    <>
      <span className={`badge badge-conocer-${props.status.toLowerCase()}`} role="status" aria-live="polite">
        {t(`conocer.${props.status}` as MessageKey)}
      </span>
      {props.requestable && props.status === 'NOT_REQUESTED' ? (
        <button type="button" className="button" disabled={fetching} onClick={() => void ask()}>
          {t('certificates.requestConocer')}
        </button>
      ) : null}
      {needsCurp ? <CurpForm onSaved={() => void ask()} /> : error ? <p role="alert">{describeError(error, locale).message}</p> : null}
    </>
  );
}

/** The PDF is made on first request and its link is short-lived: asked for on click, then offered. */
function CertificatePdf({ id, title }: { id: string; title: string }) {
  const { t, locale } = useI18n();
  const client = useAcademyClient();
  const [state, setState] = useState<
    { kind: 'idle' } | { kind: 'loading' } | { kind: 'ready'; url: string } | { kind: 'failed'; message: string }
  >({
    kind: 'idle',
  });
  const fetchPdf = async () => {
    setState({ kind: 'loading' });
    const result = await client.urql.query(CertificateDocumentDocument, { id }, { requestPolicy: 'network-only' }).toPromise();
    const url = result.data?.certificate?.pdfUrl;
    if (url) setState({ kind: 'ready', url });
    else setState({ kind: 'failed', message: result.error ? describeError(result.error, locale).message : t('error.generic') });
  };
  if (state.kind === 'ready')
    return (
      <a className="button button-primary" href={state.url} target="_blank" rel="noopener noreferrer">
        {t('certificates.openPdf')}
        <span className="visually-hidden">{t('certificates.ofTitle', { title })}</span>
      </a>
    );
  return (
    <>
      <button
        type="button"
        className="button"
        onClick={() => void fetchPdf()}
        disabled={state.kind === 'loading'}
        aria-busy={state.kind === 'loading'}
      >
        {state.kind === 'loading' ? (
          t('certificates.gettingPdf')
        ) : (
          <>
            {t('certificates.getPdf')}
            <span className="visually-hidden">{t('certificates.ofTitle', { title })}</span>
          </>
        )}
      </button>
      {state.kind === 'failed' ? (
        <p role="alert" className="error">
          {state.message}
        </p>
      ) : null}
    </>
  );
}

function MyImpact() {
  const { t } = useI18n();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: ImpactReportDocument,
    variables: { scope: 'INDIVIDUAL', period: 'ALL_TIME' },
  });
  const report = data?.impactReport;
  return (
    <section className="card" aria-labelledby="my-impact">
      <h2 id="my-impact">{t('impact.title')}</h2>
      {fetching && !data ? (
        <Loading />
      ) : error && !report ? (
        <QueryError error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />
      ) : report ? (
        <>
          <p className="impact-overall">
            <span className="impact-label">{t('impact.overall')}</span>
            <span className="impact-score" data-testid="impact-overall">
              {Math.round(report.overall)}
            </span>
            <span className="muted">{t('impact.outOf')}</span>
          </p>
          <p className="muted">{t('impact.events', { count: report.eventCount })}</p>
          <h3>{t('impact.dimensions')}</h3>
          <ul className="dimension-list">
            {report.scores.map((score) => (
              <li key={score.dimension}>
                <span>{t(`impact.${score.dimension}` as MessageKey)}</span>
                <meter min={0} max={100} value={score.score} aria-label={t(`impact.${score.dimension}` as MessageKey)} />
                <span className="dimension-score">{Math.round(score.score)}</span>
              </li>
            ))}
          </ul>
          <Suspense fallback={null}>
            <ImpactChart
              scores={report.scores.map((score) => ({ label: t(`impact.${score.dimension}` as MessageKey), score: score.score }))}
            />
          </Suspense>
        </>
      ) : null}
    </section>
  );
}
