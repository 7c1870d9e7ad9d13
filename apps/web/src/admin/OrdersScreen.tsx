import { useId, useState, type FormEvent } from 'react';
import {
  OrderSummaryFragmentDoc,
  RefundOrderDocument,
  TenantOrdersDocument,
  useFragment as readFragment,
  type OrderStatus,
  type OrderSummaryFragment,
} from '@academy/client';
import { useMutation, useQuery } from '@academy/client/react';
import { useI18n, type MessageKey } from '../i18n';
import { Loading } from '../screens/Loading';
import { QueryError } from '../screens/QueryError';
import { Outcome, Pager, useCursorPages, useDateTime, useRefusal, type Refusal } from './shared';

const PAGE_SIZE = 20;
const STATUSES: readonly OrderStatus[] = ['PENDING', 'PAID', 'FAILED', 'EXPIRED', 'CANCELLED', 'REFUNDED'];

/** `#/admin/orders`: the tenant's orders, newest first (paged), and refunds of paid ones. */
export function OrdersScreen() {
  const { t } = useI18n();
  const filterId = useId();
  const [status, setStatus] = useState<OrderStatus | ''>('');
  const pages = useCursorPages();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: TenantOrdersDocument,
    variables: { first: PAGE_SIZE, after: pages.after, ...(status ? { status } : {}) },
  });
  const page = data?.orders;
  const reload = () => refetch({ requestPolicy: 'network-only' });

  return (
    <section aria-labelledby="admin-orders-title">
      <h1 id="admin-orders-title">{t('admin.orders.title')}</h1>
      <div className="card">
        <div className="admin-filter">
          <label htmlFor={filterId}>{t('admin.orders.filter')}</label>
          <select
            id={filterId}
            value={status}
            onChange={(event) => {
              setStatus(event.target.value as OrderStatus | '');
              pages.reset();
            }}
          >
            <option value="">{t('admin.orders.filterAll')}</option>
            {STATUSES.map((option) => (
              <option key={option} value={option}>
                {t(`admin.order.${option}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        {fetching && !page ? (
          <Loading />
        ) : error && !page ? (
          <QueryError error={error} retry={reload} />
        ) : page ? (
          <>
            <p role="status" className="muted">
              {fetching ? t('app.loading') : t('admin.orders.count', { count: page.totalCount })}
            </p>
            {page.edges.length === 0 ? (
              <p>{t('admin.orders.empty')}</p>
            ) : (
              <div className="admin-table-wrap">
                <table className="admin-table">
                  <caption className="visually-hidden">{t('admin.orders.title')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('admin.orders.date')}</th>
                      <th scope="col">{t('admin.orders.course')}</th>
                      <th scope="col">{t('admin.orders.buyer')}</th>
                      <th scope="col">{t('admin.orders.method')}</th>
                      <th scope="col">{t('admin.orders.status')}</th>
                      <th scope="col" className="admin-number">
                        {t('admin.orders.total')}
                      </th>
                      <th scope="col">{t('admin.orders.actions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.edges.map(({ node }) => {
                      const order = readFragment(OrderSummaryFragmentDoc, node);
                      return <OrderLine key={order.id} order={order} buyer={node.buyer.name} onRefunded={reload} />;
                    })}
                  </tbody>
                </table>
              </div>
            )}
            <Pager
              label={t('admin.orders.pages')}
              page={pages.page}
              hasNext={page.pageInfo.hasNextPage}
              busy={fetching}
              onPrevious={pages.previous}
              onNext={() => pages.next(page.pageInfo.endCursor)}
            />
          </>
        ) : null}
      </div>
    </section>
  );
}

function OrderLine({ order, buyer, onRefunded }: { order: OrderSummaryFragment; buyer: string; onRefunded: () => void }) {
  const { t, formatMoney } = useI18n();
  const when = useDateTime();
  const refusalOf = useRefusal();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [{ fetching }, refund] = useMutation(RefundOrderDocument);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setRefusal(null);
    const result = await refund({ id: order.id, reason: reason.trim() });
    if (result.error || !result.data) {
      setRefusal(
        refusalOf(result.error, {
          specific: { CONFLICT: 'admin.orders.refund.conflict' },
          labels: { reason: t('admin.orders.refund.reason') },
        }),
      );
      return;
    }
    setOpen(false);
    setReason('');
    setDone(t('admin.orders.refund.done', { total: formatMoney(order.totalCents, order.currency) }));
    onRefunded();
  };

  return (
    <tr>
      <td>{when(order.createdAt)}</td>
      <th scope="row">{order.course.title}</th>
      <td>{buyer}</td>
      <td>{order.paymentMethod ? t(`admin.payment.${order.paymentMethod}` as MessageKey) : '—'}</td>
      <td>
        <span className={`badge admin-order-${order.status.toLowerCase()}`}>{t(`admin.order.${order.status}` as MessageKey)}</span>
      </td>
      <td className="admin-number">
        <strong>{formatMoney(order.totalCents, order.currency)}</strong>
        {order.discountCents > 0 ? (
          <span className="muted admin-small">
            {t('admin.orders.discount', {
              subtotal: formatMoney(order.subtotalCents, order.currency),
              discount: formatMoney(order.discountCents, order.currency),
            })}
            {order.coupon ? ` · ${order.coupon.code}` : ''}
          </span>
        ) : null}
      </td>
      <td className="admin-actions">
        {order.status === 'PAID' && !open ? (
          <button type="button" className="button" onClick={() => (setOpen(true), setDone(null))}>
            {t('admin.orders.refund')}
            <span className="visually-hidden"> {t('admin.orders.refundOf', { course: order.course.title, buyer })}</span>
          </button>
        ) : null}
        {open ? (
          <form onSubmit={(event) => void submit(event)} className="admin-inline-form">
            <label htmlFor={`${id}-reason`}>{t('admin.orders.refund.reason')}</label>
            <input
              id={`${id}-reason`}
              required
              maxLength={500}
              autoFocus
              value={reason}
              aria-invalid={refusal?.fields.includes('reason') ?? false}
              onChange={(event) => setReason(event.target.value)}
            />
            <button type="submit" className="button button-primary" disabled={fetching} aria-busy={fetching}>
              {fetching ? t('admin.orders.refund.busy') : t('admin.orders.refund.confirm')}
            </button>{' '}
            <button type="button" className="button" onClick={() => (setOpen(false), setRefusal(null))}>
              {t('admin.cancel')}
            </button>
          </form>
        ) : null}
        <Outcome done={done} refusal={refusal} />
      </td>
    </tr>
  );
}
