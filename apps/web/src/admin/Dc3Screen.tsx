import { Dc3FieldsFragmentDoc, Dc3sDocument, useFragment as readFragment } from '@academy/client';
import { useQuery } from '@academy/client/react';
import { useI18n } from '../i18n';
import { Loading } from '../screens/Loading';
import { QueryError } from '../screens/QueryError';
import { Pager, useCursorPages } from './shared';

const PAGE_SIZE = 20;

/**
 * `#/admin/dc3`: the STPS DC-3 constancias the academy issued, newest first. The API pages by
 * the id of the last one seen; one more than a page is asked for to know whether more follow.
 */
export function Dc3Screen() {
  const { t, formatDate } = useI18n();
  const pages = useCursorPages();
  const [{ data, fetching, error }, refetch] = useQuery({ query: Dc3sDocument, variables: { first: PAGE_SIZE + 1, after: pages.after } });
  const all = readFragment(Dc3FieldsFragmentDoc, data?.dc3s);
  const dc3s = all?.slice(0, PAGE_SIZE);
  const hasNext = (all?.length ?? 0) > PAGE_SIZE;
  const day = (date: string) => formatDate(`${date}T12:00:00`);

  return (
    <section aria-labelledby="admin-dc3-title">
      <h1 id="admin-dc3-title">{t('admin.dc3.title')}</h1>
      <p className="muted">{t('admin.dc3.intro')}</p>
      <div className="card">
        {fetching && !dc3s ? (
          <Loading />
        ) : error && !dc3s ? (
          <QueryError error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />
        ) : dc3s ? (
          <>
            {dc3s.length === 0 ? (
              <p>{t('admin.dc3.empty')}</p>
            ) : (
              <div className="admin-table-wrap">
                <table className="admin-table">
                  <caption className="visually-hidden">{t('admin.dc3.title')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('admin.dc3.worker')}</th>
                      <th scope="col">{t('admin.dc3.course')}</th>
                      <th scope="col">{t('admin.dc3.occupation')}</th>
                      <th scope="col">{t('admin.dc3.period')}</th>
                      <th scope="col" className="admin-number">
                        {t('admin.dc3.hours')}
                      </th>
                      <th scope="col">{t('admin.dc3.issued')}</th>
                      <th scope="col">{t('admin.dc3.document')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {dc3s.map((dc3) => (
                      <tr key={dc3.id}>
                        <th scope="row">
                          {dc3.workerName}
                          <span className="muted admin-small">
                            <abbr title={t('admin.dc3.curp')}>CURP</abbr> {dc3.workerCurp}
                          </span>
                        </th>
                        <td>
                          {dc3.courseTitle}
                          <span className="muted admin-small">{dc3.thematicArea}</span>
                        </td>
                        <td>
                          {dc3.occupation}
                          <span className="muted admin-small">{dc3.jobTitle}</span>
                        </td>
                        <td>{t('admin.dc3.range', { from: day(dc3.startedOn), to: day(dc3.finishedOn) })}</td>
                        <td className="admin-number">{dc3.durationHours}</td>
                        <td>{formatDate(dc3.issuedAt)}</td>
                        <td>
                          <a href={dc3.pdfUrl} target="_blank" rel="noopener noreferrer">
                            {t('admin.dc3.pdf')}
                            <span className="visually-hidden"> {t('admin.dc3.pdfOf', { name: dc3.workerName })}</span>
                          </a>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <Pager
              label={t('admin.dc3.pages')}
              page={pages.page}
              hasNext={hasNext}
              busy={fetching}
              onPrevious={pages.previous}
              onNext={() => pages.next(dc3s[dc3s.length - 1]?.id)}
            />
          </>
        ) : null}
      </div>
    </section>
  );
}
