import { Link, useParams } from 'react-router';
import {
  CancelOrderDocument,
  describeError,
  HowToPayFragmentDoc,
  OrderDocument,
  OrderStatusChangedDocument,
  OrderSummaryFragmentDoc,
  useFragment as readFragment,
} from '@academy/client';
import { useMutation, useQuery, useSubscription } from '@academy/client/react';
import { useI18n, type MessageKey } from '../i18n';
import { Loading } from '../screens/Loading';
import { QueryError } from '../screens/QueryError';
import './learner.css';

/**
 * An order, where the payment provider sends the buyer back: its status follows the payment live
 * (orderStatusChanged over graphql-ws): PAID opens the course; OXXO and SPEI say how to pay.
 */
export function OrderPage() {
  const { id = '' } = useParams();
  const { t, locale, formatMoney, formatDate } = useI18n();
  const [{ data, fetching, error }, refetch] = useQuery({ query: OrderDocument, variables: { id }, requestPolicy: 'network-only' });
  const [{ data: live }] = useSubscription({ query: OrderStatusChangedDocument, variables: { orderId: id } });
  const [cancelling, cancel] = useMutation(CancelOrderDocument);
  if (fetching && !data) return <Loading />;
  if (error && !data) return <QueryError error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />;
  if (!data?.order)
    return (
      <section className="card">
        <h1>{t('order.missing')}</h1>
      </section>
    );
  const changed = live?.orderStatusChanged;
  const order = readFragment(OrderSummaryFragmentDoc, changed ?? data.order);
  const howToPay = readFragment(HowToPayFragmentDoc, data.order);
  const enrollment = changed?.enrollment ?? data.order.enrollment;
  const status = order.status;
  return (
    <section className="card order" aria-labelledby="order-title">
      <h1 id="order-title">{t('order.title', { course: order.course.title })}</h1>
      <p>
        <span className={`badge badge-order-${status.toLowerCase()}`} role="status" aria-live="polite" data-testid="order-status">
          {t(`order.status.${status}` as MessageKey)}
        </span>
      </p>
      <dl className="price">
        <dt>{t('course.subtotal')}</dt>
        <dd>{formatMoney(order.subtotalCents, order.currency)}</dd>
        {order.discountCents > 0 ? (
          <>
            <dt>{t('course.discount', { code: order.coupon?.code ?? '' })}</dt>
            <dd>−{formatMoney(order.discountCents, order.currency)}</dd>
          </>
        ) : null}
        <dt>{t('course.total')}</dt>
        <dd>{formatMoney(order.totalCents, order.currency)}</dd>
      </dl>
      {status === 'PAID' && enrollment ? (
        <Link className="button button-primary" to={`/learn/${order.course.id}`}>
          {t('course.continue')}
        </Link>
      ) : null}
      {status === 'PENDING' ? (
        <>
          {howToPay.oxxo ? (
            <div className="voucher">
              <h2>{t('order.oxxo.title')}</h2>
              <p>{t('order.oxxo.intro', { date: formatDate(howToPay.oxxo.expiresAt) })}</p>
              <p>
                {t('order.reference')}: <code data-testid="oxxo-reference">{howToPay.oxxo.reference}</code>
              </p>
              <a href={howToPay.oxxo.hostedVoucherUrl} target="_blank" rel="noopener noreferrer">
                {t('order.oxxo.voucher')}
              </a>
            </div>
          ) : null}
          {howToPay.spei ? (
            <div className="voucher">
              <h2>{t('order.spei.title')}</h2>
              <dl>
                <dt>{t('order.spei.bank')}</dt>
                <dd>{howToPay.spei.bankName}</dd>
                <dt>CLABE</dt>
                <dd>
                  <code>{howToPay.spei.clabe}</code>
                </dd>
                <dt>{t('order.reference')}</dt>
                <dd>
                  <code>{howToPay.spei.reference}</code>
                </dd>
              </dl>
              <p>{t('order.spei.until', { date: formatDate(howToPay.spei.expiresAt) })}</p>
            </div>
          ) : null}
          {howToPay.checkoutUrl ? (
            <a className="button button-primary" href={howToPay.checkoutUrl}>
              {t('order.payNow')}
            </a>
          ) : null}
          <button type="button" className="button" disabled={cancelling.fetching} onClick={() => void cancel({ id })}>
            {t('order.cancel')}
          </button>
          {cancelling.error ? (
            <p role="alert" className="error">
              {describeError(cancelling.error, locale).message}
            </p>
          ) : null}
        </>
      ) : null}
      {status === 'FAILED' || status === 'EXPIRED' || status === 'CANCELLED' ? <Link to={`/catalogue`}>{t('order.tryAgain')}</Link> : null}
    </section>
  );
}
