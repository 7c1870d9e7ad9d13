import { Link } from 'react-router';
import { PortfolioFieldsFragmentDoc, PortfoliosToReviewDocument, useFragment } from '@academy/client';
import { useQuery } from '@academy/client/react';
import { useI18n } from '../i18n';
import { Loading } from '../screens/Loading';
import { QueryError } from '../screens/QueryError';
import { Coverage } from './Coverage';
import type { PortfolioView } from './portfolio-model';
import { useCursorPages } from '../screens/cursor-pages';

/** Portfolios per page. One more is asked for: when it comes, there is a next page (the API gives a list, not a connection). */
export const QUEUE_PAGE_SIZE = 10;

/**
 * `#/evaluate`: the portfolios with evidence awaiting review, in the API's order (the longest
 * waiting first), paged by cursor (the last portfolio of a page is the next page's `after`).
 */
export function PortfolioQueue() {
  const { t } = useI18n();
  const pages = useCursorPages();
  const { after } = pages;
  const [{ data, fetching, error }, refetch] = useQuery({
    query: PortfoliosToReviewDocument,
    variables: { first: QUEUE_PAGE_SIZE + 1, after },
  });
  const all = useFragment(PortfolioFieldsFragmentDoc, data?.portfoliosToReview);
  const page = all?.slice(0, QUEUE_PAGE_SIZE);
  const hasNext = (all?.length ?? 0) > QUEUE_PAGE_SIZE;

  return (
    <section aria-labelledby="evaluate-queue-title" className="evaluate">
      <h1 id="evaluate-queue-title">{t('evaluate.queue.title')}</h1>
      <p className="muted">{t('evaluate.queue.intro')}</p>
      {fetching && !page ? (
        <Loading />
      ) : error && !page ? (
        <QueryError error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />
      ) : page ? (
        <>
          {fetching ? <Loading /> : null}
          {page.length === 0 ? (
            <p className="card">{t('evaluate.queue.empty')}</p>
          ) : (
            <ol className="evaluate-queue" aria-busy={fetching}>
              {page.map((portfolio) => (
                <QueueItem key={portfolio.id} portfolio={portfolio} />
              ))}
            </ol>
          )}
          {pages.page > 1 || hasNext ? (
            <nav aria-label={t('evaluate.queue.page')} className="pager">
              <button type="button" className="button" disabled={pages.page === 1 || fetching} onClick={pages.previous}>
                {t('evaluate.queue.previous')}
              </button>
              <span className="pager-page" aria-live="polite">
                {t('evaluate.queue.pageNumber', { page: pages.page })}
              </span>
              <button
                type="button"
                className="button"
                disabled={!hasNext || fetching}
                onClick={() => pages.next(page[page.length - 1]?.id)}
              >
                {t('evaluate.queue.next')}
              </button>
            </nav>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

function QueueItem({ portfolio }: { portfolio: PortfolioView }) {
  const { t, formatDate } = useI18n();
  const waiting = portfolio.evidence.filter((evidence) => evidence.status === 'SUBMITTED');
  const oldest = waiting.map((evidence) => evidence.submittedAt).sort()[0];
  return (
    <li className="card evaluate-queue-item">
      <h2>
        <Link to={`/evaluate/portfolios/${portfolio.id}`}>
          {portfolio.learner.name}
          <span className="visually-hidden">{t('evaluate.queue.ofCourse', { course: portfolio.course.title })}</span>
        </Link>
      </h2>
      <p className="evaluate-course">{portfolio.course.title}</p>
      <p className="muted">{t('evaluate.standard', { code: portfolio.standard.code, title: portfolio.standard.title })}</p>
      <p>
        <span className="badge badge-waiting">{t('evaluate.queue.waiting', { count: waiting.length })}</span>
        {oldest ? <span className="muted"> · {t('evaluate.queue.since', { date: formatDate(oldest) })}</span> : null}
      </p>
      <Coverage portfolio={portfolio} />
    </li>
  );
}
