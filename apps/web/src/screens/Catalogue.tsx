import { useId, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { CourseCatalogueDocument } from '@academy/client';
import { useQuery } from '@academy/client/react';
import { useI18n } from '../i18n';
import { Loading } from './Loading';
import { QueryError } from './QueryError';
import { useCursorPages } from './cursor-pages';

const PAGE_SIZE = 12;

/** `#/catalogue?first=24`: another page size (1 to 48), kept in the link. */
function pageSizeOf(value: string | null): number {
  const size = Number(value);
  return Number.isInteger(size) && size >= 1 && size <= 48 ? size : PAGE_SIZE;
}

/** Published courses: search, and pages by cursor (the cursors of the pages seen, to go back). */
export function Catalogue() {
  const { t, formatMoney } = useI18n();
  const searchId = useId();
  const pageSize = pageSizeOf(useSearchParams()[0].get('first'));
  const [draft, setDraft] = useState('');
  const [search, setSearch] = useState('');
  const pages = useCursorPages();
  const { after } = pages;
  const [{ data, fetching, error }, refetch] = useQuery({
    query: CourseCatalogueDocument,
    variables: { first: pageSize, after, ...(search ? { search } : {}) },
  });
  const page = data?.courses;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSearch(draft.trim());
    pages.reset();
  };

  return (
    <section aria-labelledby="catalogue-title">
      <h1 id="catalogue-title">{t('catalogue.title')}</h1>
      <form role="search" className="search" onSubmit={submit}>
        <label htmlFor={searchId}>{t('catalogue.search')}</label>
        <input id={searchId} type="search" value={draft} onChange={(event) => setDraft(event.target.value)} />
        <button type="submit" className="button button-primary">
          {t('catalogue.searchSubmit')}
        </button>
      </form>
      {fetching && !page ? (
        <Loading />
      ) : error && !page ? (
        <QueryError error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />
      ) : page ? (
        <>
          <p role="status" className="muted">
            {fetching ? t('app.loading') : t('catalogue.count', { count: page.totalCount })}
          </p>
          {page.edges.length === 0 ? (
            <p>{t('catalogue.empty')}</p>
          ) : (
            <ul className="catalogue-grid">
              {page.edges.map(({ node }) => (
                <li key={node.id} className="card course-card">
                  <h2>
                    <Link to={`/courses/${node.slug}`}>{node.title}</Link>
                  </h2>
                  {node.instructor ? <p className="muted">{t('catalogue.by', { name: node.instructor.name })}</p> : null}
                  <p>
                    <strong>{node.priceCents > 0 ? formatMoney(node.priceCents, node.currency) : t('catalogue.free')}</strong>
                    {' · '}
                    {t('catalogue.enrolled', { count: node.enrollmentCount })}
                    {node.competencyStandardCode ? ` · ${node.competencyStandardCode}` : ''}
                  </p>
                </li>
              ))}
            </ul>
          )}
          <nav aria-label={t('catalogue.page')} className="pager">
            <button type="button" className="button" disabled={pages.page === 1 || fetching} onClick={pages.previous}>
              {t('catalogue.previous')}
            </button>
            <button
              type="button"
              className="button"
              disabled={!page.pageInfo.hasNextPage || fetching}
              onClick={() => pages.next(page.pageInfo.endCursor)}
            >
              {t('catalogue.next')}
            </button>
          </nav>
        </>
      ) : null}
    </section>
  );
}
