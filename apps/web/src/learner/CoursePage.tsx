import { useId, useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useParams } from 'react-router';
import {
  CheckoutDocument,
  CourseDetailDocument,
  CourseReviewFieldsFragmentDoc,
  CourseReviewsDocument,
  describeError,
  EnrollDocument,
  HowToPayFragmentDoc,
  MyEnrollmentsDocument,
  OrderSummaryFragmentDoc,
  QuoteDocument,
  useFragment as readFragment,
  type FragmentType,
  type PaymentMethod,
} from '@academy/client';
import { useMutation, useQuery } from '@academy/client/react';
import { useI18n, type MessageKey } from '../i18n';
import { Loading } from '../screens/Loading';
import { QueryError } from '../screens/QueryError';
import './learner.css';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A published course: what it teaches, its reviews, and buying or joining it. */
export function CoursePage() {
  const { slug = '' } = useParams();
  const { t } = useI18n();
  const byId = UUID.test(slug);
  const [{ data, fetching, error }, refetch] = useQuery({ query: CourseDetailDocument, variables: { slug }, pause: byId });
  // A course's id instead of its slug is a notification's link (ENROLLED): to its classroom.
  if (byId) return <Navigate to={`/learn/${slug}`} replace />;
  const course = data?.course;
  if (fetching && !data) return <Loading />;
  if (error && !data) return <QueryError error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />;
  if (!course)
    return (
      <section className="card">
        <h1>{t('course.missing')}</h1>
        <Link to="/catalogue">{t('app.nav.catalogue')}</Link>
      </section>
    );
  return (
    <article className="course-page" aria-labelledby="course-title">
      <header className="card">
        <h1 id="course-title">{course.title}</h1>
        {course.instructor ? <p className="muted">{t('catalogue.by', { name: course.instructor.name })}</p> : null}
        <p>{course.description}</p>
        <dl className="facts">
          {course.competencyStandard ? (
            <>
              <dt>{t('course.standard')}</dt>
              <dd>
                {course.competencyStandard.code} · {course.competencyStandard.title}
              </dd>
            </>
          ) : null}
          <dt>{t('course.duration')}</dt>
          <dd>{t('course.minutes', { count: course.durationMinutes })}</dd>
          <dt>{t('course.rating')}</dt>
          <dd>
            {course.rating.average === null || course.rating.average === undefined
              ? t('course.noRating')
              : t('course.ratingValue', { average: course.rating.average.toFixed(1), count: course.rating.count })}
          </dd>
          <dt>{t('course.passingScore')}</dt>
          <dd>{course.passingScore}</dd>
        </dl>
      </header>
      <div className="course-columns">
        <section className="card" aria-labelledby="course-outline">
          <h2 id="course-outline">{t('course.outline')}</h2>
          <ol className="outline">
            {course.modules.map((module) => (
              <li key={module.id}>
                <strong>{module.title}</strong>
                <ol>
                  {module.lessons.map((lesson) => (
                    <li key={lesson.id}>
                      {lesson.title} <span className="muted">({t('course.minutes', { count: lesson.durationMinutes })})</span>
                    </li>
                  ))}
                </ol>
              </li>
            ))}
          </ol>
        </section>
        <Join courseId={course.id} priceCents={course.priceCents} currency={course.currency} />
      </div>
      <Reviews courseId={course.id} />
    </article>
  );
}

const METHODS: PaymentMethod[] = ['CARD', 'OXXO', 'SPEI'];

/** Enrolled: on to the course. Free: join. Paid: the price (with a coupon), the payment method, checkout. */
function Join({ courseId, priceCents, currency }: { courseId: string; priceCents: number; currency: string }) {
  const { t, locale, formatMoney } = useI18n();
  const navigate = useNavigate();
  const couponId = useId();
  const [{ data: mine, fetching: loadingMine }] = useQuery({
    query: MyEnrollmentsDocument,
    variables: {},
    requestPolicy: 'cache-and-network',
  });
  const [method, setMethod] = useState<PaymentMethod>('CARD');
  const [draftCoupon, setDraftCoupon] = useState('');
  const [coupon, setCoupon] = useState<string | null>(null);
  const [{ data: quoted, error: quoteError }] = useQuery({
    query: QuoteDocument,
    variables: { courseId, ...(coupon ? { couponCode: coupon } : {}) },
    pause: priceCents === 0,
  });
  const [enrolling, enroll] = useMutation(EnrollDocument);
  const [buying, checkout] = useMutation(CheckoutDocument);
  const [failure, setFailure] = useState<string | null>(null);

  const enrollment = mine?.me?.enrollments.find((candidate) => candidate.course.id === courseId && candidate.status !== 'CANCELLED');
  if (loadingMine && !mine) return <Loading />;
  if (enrollment)
    return (
      <section className="card join" aria-labelledby="join-title">
        <h2 id="join-title">{t('course.enrolled')}</h2>
        <Link className="button button-primary" to={`/learn/${courseId}`}>
          {t('course.continue')}
        </Link>
      </section>
    );

  const join = async () => {
    setFailure(null);
    const result = await enroll({ courseId });
    if (result.data) navigate(`/learn/${courseId}`);
    else setFailure(describeError(result.error, locale).message);
  };
  const buy = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const result = await checkout({ courseId, paymentMethod: method, ...(coupon ? { couponCode: coupon } : {}) });
    if (!result.data) return setFailure(describeError(result.error, locale).message);
    const order = readFragment(OrderSummaryFragmentDoc, result.data.checkout);
    const howToPay = readFragment(HowToPayFragmentDoc, result.data.checkout);
    // A card is paid on the provider's page, which sends the buyer back to the order.
    if (order.status === 'PENDING' && howToPay.checkoutUrl) window.location.assign(howToPay.checkoutUrl);
    else navigate(`/orders/${order.id}`);
  };

  if (priceCents === 0)
    return (
      <section className="card join" aria-labelledby="join-title">
        <h2 id="join-title">{t('catalogue.free')}</h2>
        <button type="button" className="button button-primary" disabled={enrolling.fetching} onClick={() => void join()}>
          {t('course.join')}
        </button>
        {failure ? (
          <p role="alert" className="error">
            {failure}
          </p>
        ) : null}
      </section>
    );

  const quote = quoted?.quote;
  return (
    <section className="card join" aria-labelledby="join-title">
      <h2 id="join-title">{t('course.buy')}</h2>
      <form onSubmit={(event) => void buy(event)}>
        <fieldset>
          <legend>{t('course.paymentMethod')}</legend>
          {METHODS.map((option) => (
            <label key={option} className="choice">
              <input type="radio" name="method" value={option} checked={method === option} onChange={() => setMethod(option)} />
              {t(`course.method.${option}` as MessageKey)}
            </label>
          ))}
        </fieldset>
        <label htmlFor={couponId}>{t('course.coupon')}</label>
        <div className="inline">
          <input id={couponId} value={draftCoupon} onChange={(event) => setDraftCoupon(event.target.value)} autoComplete="off" />
          <button type="button" className="button" onClick={() => setCoupon(draftCoupon.trim() || null)}>
            {t('course.applyCoupon')}
          </button>
        </div>
        {quoteError && coupon ? (
          <p role="alert" className="error">
            {describeError(quoteError, locale).message}
          </p>
        ) : null}
        <dl className="price" aria-live="polite">
          <dt>{t('course.subtotal')}</dt>
          <dd>{formatMoney(quote?.subtotalCents ?? priceCents, quote?.currency ?? currency)}</dd>
          {quote && quote.discountCents > 0 ? (
            <>
              <dt>{t('course.discount', { code: quote.coupon?.code ?? '' })}</dt>
              <dd>−{formatMoney(quote.discountCents, quote.currency)}</dd>
            </>
          ) : null}
          <dt>{t('course.total')}</dt>
          <dd data-testid="total">{formatMoney(quote?.totalCents ?? priceCents, quote?.currency ?? currency)}</dd>
        </dl>
        <button type="submit" className="button button-primary" disabled={buying.fetching} aria-busy={buying.fetching}>
          {buying.fetching ? t('course.buying') : t('course.buyNow')}
        </button>
      </form>
      {failure ? (
        <p role="alert" className="error">
          {failure}
        </p>
      ) : null}
    </section>
  );
}

/** The course's reviews, newest pages on demand (by cursor). */
function Reviews({ courseId }: { courseId: string }) {
  const { t, formatDate } = useI18n();
  const [after, setAfter] = useState<string | null>(null);
  const [earlier, setEarlier] = useState<ReturnType<typeof reviewsOf>>([]);
  const [{ data, fetching, error }, refetch] = useQuery({ query: CourseReviewsDocument, variables: { courseId, first: 5, after } });
  const page = data?.course?.reviews;
  const shown = [...earlier, ...reviewsOf(page)];
  return (
    <section className="card" aria-labelledby="course-reviews">
      <h2 id="course-reviews">{t('course.reviews', { count: page?.totalCount ?? 0 })}</h2>
      {fetching && !data ? (
        <Loading />
      ) : error && !data ? (
        <QueryError error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />
      ) : shown.length === 0 ? (
        <p>{t('course.noReviews')}</p>
      ) : (
        <ul className="reviews">
          {shown.map((review) => (
            <li key={review.id}>
              <p>
                <span aria-label={t('course.stars', { count: review.rating })}>
                  {'★'.repeat(review.rating)}
                  {'☆'.repeat(5 - review.rating)}
                </span>{' '}
                <strong>{review.author.name}</strong> <span className="muted">{formatDate(review.createdAt)}</span>
              </p>
              {review.comment ? <p>{review.comment}</p> : null}
            </li>
          ))}
        </ul>
      )}
      {page?.pageInfo.hasNextPage ? (
        <button
          type="button"
          className="button"
          disabled={fetching}
          onClick={() => {
            setEarlier(shown);
            setAfter(page.pageInfo.endCursor ?? null);
          }}
        >
          {t('course.moreReviews')}
        </button>
      ) : null}
    </section>
  );
}

function reviewsOf(page: { edges: { node: FragmentType<typeof CourseReviewFieldsFragmentDoc> }[] } | undefined) {
  return (page?.edges ?? []).map((edge) => readFragment(CourseReviewFieldsFragmentDoc, edge.node));
}
