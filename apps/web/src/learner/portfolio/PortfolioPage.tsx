import { useEffect, useId, useRef, useState } from 'react';
import { Link, Navigate, useParams } from 'react-router';
import {
  CriterionFieldsFragmentDoc,
  describeError,
  MyPortfolioDocument,
  PortfolioDocument,
  PortfolioFieldsFragmentDoc,
  useFragment as readFragment,
} from '@academy/client';
import { useQuery } from '@academy/client/react';
import { useI18n, type MessageKey } from '../../i18n';
import { Loading } from '../../screens/Loading';
import { QueryError } from '../../screens/QueryError';
import { EvidenceForm } from './EvidenceForm';
import { formatBytes } from './format';
import { coverageOf, criteriaOf, type CriterionEntry, type EvidenceView, type PortfolioView } from './portfolio-model';
import '../learner.css';
import './portfolio.css';

/**
 * `#/portfolios/:id`: the learner's EC evaluation portfolio. The id is the portfolio's (which is
 * its enrollment's: what notifications link to); a course's id is accepted too and leads to the
 * viewer's portfolio in that course. The course and its standard, the coverage and judgement, each
 * criterion with its evidence (status, note, the evaluator's comment, files), and for each criterion
 * without accepted or waiting evidence a form to upload files and submit them.
 */
export function PortfolioPage() {
  const { id = '' } = useParams();
  const { locale } = useI18n();
  const [{ data, fetching, error }, refetch] = useQuery({ query: PortfolioDocument, variables: { id } });
  const portfolio = readFragment(PortfolioFieldsFragmentDoc, data?.portfolio ?? null);
  const refresh = () => refetch({ requestPolicy: 'network-only' });

  if (fetching && !data && !error) return <Loading />;
  if (portfolio) return <PortfolioScreen portfolio={portfolio} refresh={refresh} />;
  if (error && describeError(error, locale).code !== 'NOT_FOUND') return <QueryError error={error} retry={refresh} />;
  // Not a portfolio's id (NOT_FOUND, or nothing): perhaps a course's.
  return <CoursePortfolio courseId={id} />;
}

/** A course's id in the address: on to the viewer's portfolio in that course, or why there is none. */
function CoursePortfolio({ courseId }: { courseId: string }) {
  const { t } = useI18n();
  const [{ data, fetching, error }, refetch] = useQuery({ query: MyPortfolioDocument, variables: { courseId } });
  if (fetching && !data) return <Loading />;
  if (error && !data) return <QueryError error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />;
  const course = data?.course;
  const enrollment = course?.viewerEnrollment;
  const portfolio = readFragment(PortfolioFieldsFragmentDoc, enrollment?.portfolio ?? null);
  if (portfolio) return <Navigate to={`/portfolios/${portfolio.id}`} replace />;
  if (!course) return <Missing message={t('portfolio.notFound')} />;
  if (!enrollment || enrollment.status === 'CANCELLED') return <Missing message={t('portfolio.notEnrolled')} />;
  return <Missing message={t('portfolio.noPortfolio')} courseId={course.id} />;
}

function Missing({ message, courseId }: { message: string; courseId?: string }) {
  const { t } = useI18n();
  return (
    <section className="card">
      <h1>{message}</h1>
      {courseId ? <Link to={`/learn/${courseId}`}>{t('portfolio.toCourse')}</Link> : <Link to="/">{t('app.nav.dashboard')}</Link>}
    </section>
  );
}

/** Why the viewer cannot submit evidence here; null when they can. */
type Closed = 'other' | 'competent' | 'enrollment' | null;

function PortfolioScreen({ portfolio, refresh }: { portfolio: PortfolioView; refresh: () => void }) {
  const { t, formatDate } = useI18n();
  // The course's criteria (all of them, in order) and the viewer's enrollment in it.
  const [{ data, fetching, error }, refetchMine] = useQuery({ query: MyPortfolioDocument, variables: { courseId: portfolio.course.id } });
  const [announcement, setAnnouncement] = useState('');
  const [focused, setFocused] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, [portfolio.id]);

  const course = data?.course;
  const enrollment = course?.viewerEnrollment ?? null;
  const ownPortfolio = readFragment(PortfolioFieldsFragmentDoc, enrollment?.portfolio ?? null);
  const own = Boolean(enrollment && (enrollment.id === portfolio.id || ownPortfolio?.id === portfolio.id));
  const closed: Closed = !own
    ? 'other'
    : portfolio.judgement === 'COMPETENT'
      ? 'competent'
      : enrollment?.status === 'ACTIVE' || enrollment?.status === 'COMPLETED'
        ? null
        : 'enrollment';
  const allCriteria = readFragment(CriterionFieldsFragmentDoc, course?.evaluationCriteria ?? []);
  const entries = criteriaOf(portfolio, allCriteria);
  const { accepted, total } = coverageOf(entries);
  const coverageText = t('portfolio.coverageText', { accepted, total, count: total });

  return (
    <article className="portfolio" aria-labelledby="portfolio-title">
      {own ? (
        <p>
          <Link to={`/learn/${portfolio.course.id}`}>
            <span aria-hidden="true">← </span>
            {t('portfolio.toCourse')}
          </Link>
        </p>
      ) : null}
      <header className="card portfolio-header">
        <h1 id="portfolio-title" ref={heading} tabIndex={-1}>
          {t('portfolio.title')}
        </h1>
        <p className="portfolio-course">{portfolio.course.title}</p>
        <p className="muted">{t('portfolio.standard', { code: portfolio.standard.code, title: portfolio.standard.title })}</p>
        {!own && !fetching ? <p>{t('portfolio.ofLearner', { name: portfolio.learner.name })}</p> : null}
        <dl className="portfolio-facts">
          <dt>{t('portfolio.coverage')}</dt>
          <dd>
            <meter min={0} max={1} value={portfolio.coverage} aria-label={t('portfolio.coverage')} aria-valuetext={coverageText} />{' '}
            <span data-testid="coverage">{coverageText}</span>
          </dd>
          <dt>{t('portfolio.judgement')}</dt>
          <dd data-testid="judgement">
            {portfolio.judgement ? (
              <>
                <span className={`badge portfolio-judgement-${portfolio.judgement}`}>
                  {t(`portfolio.judgement.${portfolio.judgement}` as MessageKey)}
                </span>{' '}
                {portfolio.judgedAt ? (
                  <span className="muted">
                    {portfolio.judgedBy
                      ? t('portfolio.judgedBy', { name: portfolio.judgedBy.name, date: formatDate(portfolio.judgedAt) })
                      : t('portfolio.judgedOn', { date: formatDate(portfolio.judgedAt) })}
                  </span>
                ) : null}
              </>
            ) : (
              <span className="muted">{t('portfolio.judgement.none')}</span>
            )}
          </dd>
        </dl>
      </header>
      <p role="status" aria-live="polite" className="portfolio-announcement">
        {announcement}
      </p>
      {fetching && !data ? (
        <Loading />
      ) : error && !data ? (
        <QueryError error={error} retry={() => refetchMine({ requestPolicy: 'network-only' })} />
      ) : (
        <section aria-labelledby="portfolio-criteria">
          <h2 id="portfolio-criteria">{t('portfolio.criteria')}</h2>
          {closed ? <p className="card portfolio-closed">{t(`portfolio.closed.${closed}`)}</p> : null}
          {entries.length === 0 ? (
            <p className="card">{t('portfolio.noCriteria')}</p>
          ) : (
            <ol className="portfolio-criteria">
              {entries.map((entry) => (
                <CriterionCard
                  key={entry.criterion.id}
                  entry={entry}
                  enrollmentId={!closed && enrollment ? enrollment.id : null}
                  focused={focused === entry.criterion.id}
                  onSubmitted={(message) => {
                    setAnnouncement(message);
                    setFocused(entry.criterion.id);
                    refresh();
                  }}
                  onStale={refresh}
                />
              ))}
            </ol>
          )}
        </section>
      )}
    </article>
  );
}

const STATE_BADGE: Record<CriterionEntry['state'], string> = {
  accepted: 'portfolio-state-accepted',
  waiting: 'portfolio-state-waiting',
  rejected: 'portfolio-state-rejected',
  missing: 'portfolio-state-missing',
};

/** One criterion: what it asks, where it stands, its evidence (newest first) and, when it needs one, the evidence form. */
function CriterionCard(props: {
  entry: CriterionEntry;
  /** The enrollment to submit evidence for; null when the viewer cannot. */
  enrollmentId: string | null;
  focused: boolean;
  onSubmitted: (message: string) => void;
  onStale: () => void;
}) {
  const { t } = useI18n();
  const { criterion, evidence, state } = props.entry;
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  // After a submission the form goes: the focus goes to its criterion, which now says it waits.
  useEffect(() => {
    if (props.focused) heading.current?.focus();
  }, [props.focused, state]);
  const needsEvidence = state === 'missing' || state === 'rejected';
  return (
    <li className="card portfolio-criterion">
      <section aria-labelledby={headingId}>
        <h3 id={headingId} ref={heading} tabIndex={-1}>
          {t('portfolio.criterion', { position: criterion.position, element: criterion.element })}
        </h3>
        <p>
          <span className="badge">{t(`portfolio.kind.${criterion.kind}` as MessageKey)}</span>{' '}
          <span className={`badge ${STATE_BADGE[state]}`} data-testid="criterion-state">
            {t(`portfolio.state.${state}`)}
          </span>
        </p>
        <p>{criterion.description}</p>
        {state === 'accepted' ? <p className="muted">{t('portfolio.state.acceptedText')}</p> : null}
        {state === 'waiting' ? <p className="muted">{t('portfolio.state.waitingText')}</p> : null}
        {evidence.length === 0 ? (
          <p className="muted">{t('portfolio.noEvidence')}</p>
        ) : (
          <>
            <h4>{t('portfolio.evidence.history')}</h4>
            <ol className="portfolio-evidence-list">
              {evidence.map((piece) => (
                <EvidenceItem key={piece.id} evidence={piece} />
              ))}
            </ol>
          </>
        )}
        {needsEvidence && props.enrollmentId ? (
          <EvidenceForm
            enrollmentId={props.enrollmentId}
            criterion={criterion}
            resubmission={state === 'rejected'}
            onSubmitted={props.onSubmitted}
            onStale={props.onStale}
          />
        ) : null}
      </section>
    </li>
  );
}

function EvidenceItem({ evidence }: { evidence: EvidenceView }) {
  const { t, formatDate, locale } = useI18n();
  return (
    <li className="portfolio-evidence" data-testid="evidence">
      <p>
        <span className={`badge portfolio-evidence-${evidence.status}`}>
          {t(`portfolio.evidence.status.${evidence.status}` as MessageKey)}
        </span>{' '}
        <span className="muted">{t('portfolio.evidence.submittedAt', { date: formatDate(evidence.submittedAt) })}</span>
      </p>
      {evidence.note ? (
        <p>
          <strong>{t('portfolio.evidence.note')}:</strong> {evidence.note}
        </p>
      ) : null}
      {evidence.reviewComment ? (
        <p className="portfolio-review">
          <strong>
            {evidence.reviewer
              ? t('portfolio.evidence.review', {
                  name: evidence.reviewer.name,
                  date: formatDate(evidence.reviewedAt ?? evidence.submittedAt),
                })
              : t('portfolio.evidence.reviewAnonymous', { date: formatDate(evidence.reviewedAt ?? evidence.submittedAt) })}
            :
          </strong>{' '}
          {evidence.reviewComment}
        </p>
      ) : null}
      {evidence.files.length > 0 ? (
        <ul className="portfolio-files" aria-label={t('portfolio.evidence.files')}>
          {evidence.files.map((file) => (
            <li key={file.id}>
              <a
                href={file.url}
                target="_blank"
                rel="noopener noreferrer"
                aria-label={t('portfolio.evidence.fileLink', { name: file.name, size: formatBytes(file.byteSize, locale) })}
              >
                {file.name}
              </a>{' '}
              <span className="muted" aria-hidden="true">
                ({formatBytes(file.byteSize, locale)})
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}
