import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import {
  JudgePortfolioDocument,
  PortfolioDocument,
  PortfolioFieldsFragmentDoc,
  ReviewEvidenceDocument,
  useFragment,
  type Judgement,
} from '@academy/client';
import { useMutation, useQuery } from '@academy/client/react';
import { useI18n, type MessageKey } from '../i18n';
import { Loading } from '../screens/Loading';
import { QueryError } from '../screens/QueryError';
import { Coverage } from './Coverage';
import { criteriaOf, missingCriteriaOf, type CriterionWithEvidence, type EvidenceView, type PortfolioView } from './portfolio-model';
import { refusalOf, type Refusal } from './refusals';

const JUDGEMENTS: readonly Judgement[] = ['COMPETENT', 'NOT_YET_COMPETENT'];

/**
 * `#/evaluate/portfolios/:id`: the portfolio's criteria in order, each with its evidence (files,
 * the learner's note, the review), a review for each piece awaiting one, and the judgement.
 */
export function PortfolioReview() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const [{ data, fetching, error }, refetch] = useQuery({ query: PortfolioDocument, variables: { id } });
  const portfolio = useFragment(PortfolioFieldsFragmentDoc, data?.portfolio);
  const [announcement, setAnnouncement] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  const loaded = Boolean(portfolio);
  // A new screen: its heading takes the focus once its data came (screen readers start there).
  useEffect(() => {
    if (loaded) heading.current?.focus();
  }, [loaded, id]);
  const refresh = () => refetch({ requestPolicy: 'network-only' });

  return (
    <section className="evaluate evaluate-portfolio" aria-labelledby="evaluate-portfolio-title">
      <p>
        <Link to="/evaluate">
          <span aria-hidden="true">← </span>
          {t('evaluate.back')}
        </Link>
      </p>
      {fetching && !data ? (
        <Loading />
      ) : error && !data ? (
        <QueryError error={error} retry={refresh} />
      ) : !portfolio ? (
        <p role="alert" className="error">
          {t('evaluate.portfolio.notFound')}
        </p>
      ) : (
        <>
          <h1 id="evaluate-portfolio-title" ref={heading} tabIndex={-1}>
            {t('evaluate.portfolio.title', { name: portfolio.learner.name })}
          </h1>
          <p className="evaluate-course">{portfolio.course.title}</p>
          <p className="muted">{t('evaluate.standard', { code: portfolio.standard.code, title: portfolio.standard.title })}</p>
          <Coverage portfolio={portfolio} />
          <p role="status" aria-live="polite" className="evaluate-announcement">
            {announcement}
          </p>
          <section aria-labelledby="evaluate-criteria">
            <h2 id="evaluate-criteria">{t('evaluate.criteria')}</h2>
            <ol className="evaluate-criteria">
              {criteriaOf(portfolio).map((entry) => (
                <CriterionSection
                  key={entry.criterion.id}
                  entry={entry}
                  portfolio={portfolio}
                  onReviewed={(message) => {
                    setAnnouncement(message);
                    refresh();
                  }}
                />
              ))}
            </ol>
          </section>
          <JudgementForm portfolio={portfolio} onJudged={refresh} />
        </>
      )}
    </section>
  );
}

function CriterionSection(props: { entry: CriterionWithEvidence; portfolio: PortfolioView; onReviewed: (message: string) => void }) {
  const { t } = useI18n();
  const { criterion, evidence, accepted } = props.entry;
  const headingId = useId();
  return (
    <li className="card evaluate-criterion">
      <h3 id={headingId}>{t('evaluate.criterion', { position: criterion.position, element: criterion.element })}</h3>
      <p>
        <span className="badge">{t(`evaluate.kind.${criterion.kind}` as MessageKey)}</span>{' '}
        <span className={`badge ${accepted ? 'badge-accepted' : 'badge-missing'}`}>
          {accepted ? t('evaluate.criterion.accepted') : t('evaluate.criterion.missing')}
        </span>
      </p>
      <p>{criterion.description}</p>
      {evidence.length === 0 ? (
        <p className="muted">{t('evaluate.criterion.noEvidence')}</p>
      ) : (
        <ul className="evaluate-evidence-list">
          {evidence.map((piece) => (
            <li key={piece.id}>
              <EvidenceItem
                evidence={piece}
                criterionHeadingId={headingId}
                element={criterion.element}
                portfolio={props.portfolio}
                onReviewed={props.onReviewed}
              />
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

function EvidenceItem(props: {
  evidence: EvidenceView;
  criterionHeadingId: string;
  element: string;
  portfolio: PortfolioView;
  onReviewed: (message: string) => void;
}) {
  const { t, formatDate, locale } = useI18n();
  const { evidence } = props;
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const size = new Intl.NumberFormat(locale, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 0 });
  return (
    <article className="evaluate-evidence" aria-labelledby={`${props.criterionHeadingId} ${headingId}`}>
      <h4 id={headingId} ref={heading} tabIndex={-1}>
        {t('evaluate.evidence', { date: formatDate(evidence.submittedAt) })}{' '}
        <span className={`badge badge-evidence-${evidence.status.toLowerCase()}`}>
          {t(`evaluate.evidence.status.${evidence.status}` as MessageKey)}
        </span>
      </h4>
      {evidence.note ? (
        <p>
          <strong>{t('evaluate.evidence.note')}:</strong> {evidence.note}
        </p>
      ) : null}
      <p className="evaluate-files-label">
        <strong>{t('evaluate.evidence.files')}:</strong>
      </p>
      {evidence.files.length === 0 ? (
        <p className="muted">{t('evaluate.evidence.noFiles')}</p>
      ) : (
        <ul className="evaluate-files">
          {evidence.files.map((file) => (
            <li key={file.id}>
              {file.url ? (
                <a href={file.url} target="_blank" rel="noopener noreferrer">
                  {file.name}
                  <span className="visually-hidden">{t('evaluate.evidence.newWindow')}</span>
                </a>
              ) : (
                <span>{file.name}</span>
              )}{' '}
              <span className="muted">
                {t('evaluate.evidence.fileFacts', {
                  type: typeOf(file.contentType),
                  size: size.format(Math.max(1, Math.round(file.byteSize / 1024))),
                })}
              </span>
            </li>
          ))}
        </ul>
      )}
      {evidence.status === 'SUBMITTED' ? (
        <ReviewForm
          evidenceId={evidence.id}
          element={props.element}
          portfolio={props.portfolio}
          onReviewed={(message) => {
            props.onReviewed(message);
            heading.current?.focus();
          }}
        />
      ) : (
        <>
          {evidence.reviewedAt ? (
            <p className="muted">
              {t('evaluate.evidence.reviewedBy', { name: evidence.reviewer?.name ?? '—', date: formatDate(evidence.reviewedAt) })}
            </p>
          ) : null}
          {evidence.reviewComment ? (
            <p>
              <strong>{t('evaluate.evidence.comment')}:</strong> {evidence.reviewComment}
            </p>
          ) : null}
        </>
      )}
    </article>
  );
}

/** `application/pdf` → PDF, `image/jpeg` → JPEG. */
function typeOf(contentType: string): string {
  return (contentType.split('/')[1] ?? contentType).toUpperCase();
}

/** Accept or reject one piece of evidence awaiting review, with a comment (needed to reject). */
function ReviewForm(props: { evidenceId: string; element: string; portfolio: PortfolioView; onReviewed: (message: string) => void }) {
  const { t, locale } = useI18n();
  const commentId = useId();
  const hintId = useId();
  const problemId = useId();
  const [comment, setComment] = useState('');
  const [needsComment, setNeedsComment] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [{ fetching }, review] = useMutation(ReviewEvidenceDocument);
  const commentField = useRef<HTMLTextAreaElement>(null);

  const submit = async (accept: boolean) => {
    setRefusal(null);
    const text = comment.trim();
    if (!accept && !text) {
      setNeedsComment(true);
      commentField.current?.focus();
      return;
    }
    setNeedsComment(false);
    const result = await review({ id: props.evidenceId, accept, comment: text || null });
    if (result.data) {
      props.onReviewed(t(accept ? 'evaluate.review.accepted' : 'evaluate.review.rejected', { element: props.element }));
    } else {
      const criteria = criteriaOf(props.portfolio).map((entry) => entry.criterion);
      setRefusal(refusalOf(result.error, locale, t, criteria, 'review'));
    }
  };

  return (
    <form className="evaluate-review" onSubmit={(event) => event.preventDefault()}>
      <label htmlFor={commentId}>
        {t('evaluate.review.comment')}
        <span className="visually-hidden">{t('evaluate.review.aboutCriterion', { element: props.element })}</span>
      </label>
      <textarea
        id={commentId}
        ref={commentField}
        rows={2}
        maxLength={2000}
        value={comment}
        onChange={(event) => setComment(event.target.value)}
        aria-invalid={needsComment}
        aria-describedby={needsComment ? `${hintId} ${problemId}` : hintId}
      />
      <p id={hintId} className="muted hint">
        {t('evaluate.review.commentHint')}
      </p>
      {needsComment ? (
        <p id={problemId} role="alert" className="error">
          {t('evaluate.review.commentRequired')}
        </p>
      ) : null}
      <div className="evaluate-actions">
        <button type="button" className="button button-primary" disabled={fetching} aria-busy={fetching} onClick={() => void submit(true)}>
          {fetching ? t('evaluate.review.saving') : t('evaluate.review.accept')}
          <span className="visually-hidden">{t('evaluate.review.ofCriterion', { element: props.element })}</span>
        </button>
        <button type="button" className="button" disabled={fetching} aria-busy={fetching} onClick={() => void submit(false)}>
          {fetching ? t('evaluate.review.saving') : t('evaluate.review.reject')}
          <span className="visually-hidden">{t('evaluate.review.ofCriterion', { element: props.element })}</span>
        </button>
      </div>
      {refusal ? <RefusalMessage refusal={refusal} /> : null}
    </form>
  );
}

function RefusalMessage({ refusal, lead }: { refusal: Refusal; lead?: string }) {
  return (
    <div role="alert" className="error evaluate-refusal">
      <p>{lead ? `${lead} ${refusal.message}` : refusal.message}</p>
      {refusal.reasons.length > 0 ? (
        <ul>
          {refusal.reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The judgement: COMPETENT (every criterion accepted) or NOT_YET_COMPETENT, with a comment; it can change until CONOCER is asked. */
function JudgementForm({ portfolio, onJudged }: { portfolio: PortfolioView; onJudged: () => void }) {
  const { t, locale, formatDate } = useI18n();
  const commentId = useId();
  const missingId = useId();
  const [choice, setChoice] = useState<Judgement | null>(portfolio.judgement);
  const [comment, setComment] = useState('');
  const [pick, setPick] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [saved, setSaved] = useState('');
  const [{ fetching }, judge] = useMutation(JudgePortfolioDocument);
  const missing = missingCriteriaOf(portfolio);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setRefusal(null);
    setSaved('');
    if (!choice) {
      setPick(true);
      return;
    }
    setPick(false);
    const result = await judge({ id: portfolio.id, judgement: choice, comment: comment.trim() || null });
    if (result.data) {
      setSaved(t('evaluate.judgement.saved', { judgement: t(`evaluate.judgement.${choice}`) }));
      onJudged();
    } else {
      const criteria = criteriaOf(portfolio).map((entry) => entry.criterion);
      setRefusal(refusalOf(result.error, locale, t, criteria, 'judgement'));
    }
  };

  return (
    <section className="card evaluate-judgement" aria-labelledby="evaluate-judgement-title">
      <h2 id="evaluate-judgement-title">{t('evaluate.judgement.title')}</h2>
      <p data-testid="current-judgement">
        {portfolio.judgement && portfolio.judgedAt
          ? t('evaluate.judgement.current', {
              judgement: t(`evaluate.judgement.${portfolio.judgement}`),
              name: portfolio.judgedBy?.name ?? '—',
              date: formatDate(portfolio.judgedAt),
            })
          : t('evaluate.judgement.none')}
      </p>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <fieldset className="evaluate-choices" aria-describedby={missing.length > 0 ? missingId : undefined}>
          <legend>{t('evaluate.judgement.choose')}</legend>
          {JUDGEMENTS.map((judgement) => (
            <label key={judgement} className="evaluate-choice">
              <input
                type="radio"
                name={`judgement-${portfolio.id}`}
                value={judgement}
                checked={choice === judgement}
                onChange={() => setChoice(judgement)}
              />
              {t(`evaluate.judgement.${judgement}`)}
            </label>
          ))}
          <p className="muted hint">{t('evaluate.judgement.competentHint')}</p>
          {missing.length > 0 ? (
            <p id={missingId} className="hint">
              {t('evaluate.judgement.missing', {
                criteria: missing.map((criterion) => `${criterion.position}. ${criterion.element}`).join('; '),
              })}
            </p>
          ) : null}
        </fieldset>
        <label htmlFor={commentId}>{t('evaluate.judgement.comment')}</label>
        <textarea id={commentId} rows={3} maxLength={2000} value={comment} onChange={(event) => setComment(event.target.value)} />
        <button type="submit" className="button button-primary" disabled={fetching} aria-busy={fetching}>
          {fetching ? t('evaluate.judgement.saving') : t('evaluate.judgement.submit')}
        </button>
        {pick ? (
          <p role="alert" className="error">
            {t('evaluate.judgement.pick')}
          </p>
        ) : null}
        {refusal ? <RefusalMessage refusal={refusal} lead={t('evaluate.judgement.refused')} /> : null}
        <p role="status" aria-live="polite" className="evaluate-saved">
          {saved}
        </p>
      </form>
    </section>
  );
}
