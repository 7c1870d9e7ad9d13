import { useId, useState, type FormEvent } from 'react';
import {
  CouponFieldsFragmentDoc,
  CouponsDocument,
  CourseCatalogueDocument,
  CreateCouponDocument,
  DeactivateCouponDocument,
  useFragment as readFragment,
  type CouponFieldsFragment,
  type CouponInput,
} from '@academy/client';
import { useMutation, useQuery } from '@academy/client/react';
import { useI18n } from '../i18n';
import { Loading } from '../screens/Loading';
import { QueryError } from '../screens/QueryError';
import { Outcome, useRefusal, type Refusal } from './shared';

/** Coupons' fixed amounts are in the course's currency; the tenant's courses are in pesos. */
const CURRENCY = 'MXN';

/** `#/admin/coupons`: the tenant's coupons, a new one (percent or fixed amount), deactivating one. */
export function CouponsScreen() {
  const { t } = useI18n();
  const [{ data, fetching, error }, refetch] = useQuery({ query: CouponsDocument, variables: {} });
  const coupons = readFragment(CouponFieldsFragmentDoc, data?.coupons);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <section aria-labelledby="admin-coupons-title">
      <h1 id="admin-coupons-title">{t('admin.coupons.title')}</h1>
      <CouponForm onCreated={reload} />
      <section className="card" aria-labelledby="admin-coupons-list">
        <h2 id="admin-coupons-list">{t('admin.coupons.list')}</h2>
        {fetching && !coupons ? (
          <Loading />
        ) : error && !coupons ? (
          <QueryError error={error} retry={reload} />
        ) : coupons ? (
          coupons.length === 0 ? (
            <p>{t('admin.coupons.empty')}</p>
          ) : (
            <div className="admin-table-wrap">
              <table className="admin-table">
                <caption className="visually-hidden">{t('admin.coupons.list')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('admin.coupons.code')}</th>
                    <th scope="col">{t('admin.coupons.discount')}</th>
                    <th scope="col">{t('admin.coupons.course')}</th>
                    <th scope="col">{t('admin.coupons.validUntil')}</th>
                    <th scope="col">{t('admin.coupons.redemptions')}</th>
                    <th scope="col">{t('admin.coupons.state')}</th>
                    <th scope="col">{t('admin.orders.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {coupons.map((coupon) => (
                    <CouponLine key={coupon.id} coupon={coupon} />
                  ))}
                </tbody>
              </table>
            </div>
          )
        ) : null}
      </section>
    </section>
  );
}

function CouponForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useI18n();
  const id = useId();
  const refusalOf = useRefusal();
  const [code, setCode] = useState('');
  const [kind, setKind] = useState<'percent' | 'amount'>('percent');
  const [value, setValue] = useState('');
  const [courseId, setCourseId] = useState('');
  const [validUntil, setValidUntil] = useState('');
  const [maxRedemptions, setMaxRedemptions] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [{ fetching }, create] = useMutation(CreateCouponDocument);
  // The courses a coupon may be limited to (published ones; none chosen: every course).
  const [{ data: catalogue }] = useQuery({ query: CourseCatalogueDocument, variables: { first: 48 } });
  const courses = catalogue?.courses.edges.map((edge) => edge.node) ?? [];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    setRefusal(null);
    const amount = Number(value.replace(',', '.'));
    const input: CouponInput = {
      code: code.trim(),
      ...(kind === 'percent' ? { percentOff: Math.round(amount) } : { amountOffCents: Math.round(amount * 100) }),
      ...(courseId ? { courseId } : {}),
      // The end of the day chosen, where the admin is.
      ...(validUntil ? { validUntil: new Date(`${validUntil}T23:59:59`).toISOString() } : {}),
      ...(maxRedemptions ? { maxRedemptions: Number(maxRedemptions) } : {}),
    };
    const result = await create({ input });
    if (result.error || !result.data) {
      setRefusal(
        refusalOf(result.error, {
          specific: { CONFLICT: 'admin.coupons.conflict' },
          labels: {
            code: t('admin.coupons.code'),
            percentOff: t('admin.coupons.value'),
            amountOffCents: t('admin.coupons.value'),
            courseId: t('admin.coupons.course'),
            validUntil: t('admin.coupons.validUntil'),
            maxRedemptions: t('admin.coupons.maxRedemptions'),
          },
        }),
      );
      return;
    }
    const created = readFragment(CouponFieldsFragmentDoc, result.data.createCoupon);
    setDone(t('admin.coupons.created', { code: created.code }));
    setCode('');
    setValue('');
    setValidUntil('');
    setMaxRedemptions('');
    onCreated();
  };
  const invalid = (...fields: string[]) => fields.some((field) => refusal?.fields.includes(field));

  return (
    <form className="card admin-form" onSubmit={(event) => void submit(event)} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('admin.coupons.new')}</h2>
      <div className="admin-form-row">
        <div>
          <label htmlFor={`${id}-code`}>{t('admin.coupons.code')}</label>
          <input
            id={`${id}-code`}
            required
            minLength={3}
            maxLength={32}
            pattern="[A-Za-z0-9][A-Za-z0-9_\-]{2,31}"
            aria-describedby={`${id}-code-hint`}
            aria-invalid={invalid('code')}
            value={code}
            onChange={(event) => setCode(event.target.value)}
          />
          <p id={`${id}-code-hint`} className="muted admin-hint">
            {t('admin.coupons.codeHint')}
          </p>
        </div>
        <fieldset className="admin-kind">
          <legend>{t('admin.coupons.kind')}</legend>
          <label>
            <input type="radio" name={`${id}-kind`} checked={kind === 'percent'} onChange={() => setKind('percent')} />
            {t('admin.coupons.percent')}
          </label>
          <label>
            <input type="radio" name={`${id}-kind`} checked={kind === 'amount'} onChange={() => setKind('amount')} />
            {t('admin.coupons.amount')}
          </label>
        </fieldset>
        <div>
          <label htmlFor={`${id}-value`}>
            {kind === 'percent' ? t('admin.coupons.percentValue') : t('admin.coupons.amountValue', { currency: CURRENCY })}
          </label>
          <input
            id={`${id}-value`}
            type="number"
            required
            inputMode="decimal"
            min={kind === 'percent' ? 1 : 0.01}
            max={kind === 'percent' ? 100 : 1_000_000}
            step={kind === 'percent' ? 1 : 0.01}
            aria-invalid={invalid('percentOff', 'amountOffCents')}
            value={value}
            onChange={(event) => setValue(event.target.value)}
          />
        </div>
      </div>
      <div className="admin-form-row">
        <div>
          <label htmlFor={`${id}-course`}>{t('admin.coupons.course')}</label>
          <select id={`${id}-course`} value={courseId} onChange={(event) => setCourseId(event.target.value)}>
            <option value="">{t('admin.coupons.allCourses')}</option>
            {courses.map((course) => (
              <option key={course.id} value={course.id}>
                {course.title}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-until`}>{t('admin.coupons.validUntilOptional')}</label>
          <input
            id={`${id}-until`}
            type="date"
            aria-invalid={invalid('validUntil')}
            value={validUntil}
            onChange={(event) => setValidUntil(event.target.value)}
          />
        </div>
        <div>
          <label htmlFor={`${id}-max`}>{t('admin.coupons.maxRedemptions')}</label>
          <input
            id={`${id}-max`}
            type="number"
            min={1}
            step={1}
            aria-invalid={invalid('maxRedemptions')}
            value={maxRedemptions}
            onChange={(event) => setMaxRedemptions(event.target.value)}
          />
        </div>
      </div>
      <button type="submit" className="button button-primary" disabled={fetching} aria-busy={fetching}>
        {fetching ? t('admin.coupons.creating') : t('admin.coupons.create')}
      </button>
      <Outcome done={done} refusal={refusal} />
    </form>
  );
}

function CouponLine({ coupon: initial }: { coupon: CouponFieldsFragment }) {
  const { t, formatMoney, formatDate } = useI18n();
  const refusalOf = useRefusal();
  // The coupon as deactivating it answered, until the list brings it anew.
  const [changed, setChanged] = useState<CouponFieldsFragment | null>(null);
  const current = changed ?? initial;
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [{ fetching }, deactivate] = useMutation(DeactivateCouponDocument);

  const doDeactivate = async () => {
    setRefusal(null);
    const result = await deactivate({ id: current.id });
    if (result.error || !result.data) return setRefusal(refusalOf(result.error));
    setChanged(readFragment(CouponFieldsFragmentDoc, result.data.deactivateCoupon));
    setDone(t('admin.coupons.deactivated', { code: current.code }));
  };

  return (
    <tr>
      <th scope="row">
        <code>{current.code}</code>
      </th>
      <td>
        {current.percentOff !== null
          ? t('admin.coupons.percentOff', { percent: current.percentOff })
          : formatMoney(current.amountOffCents ?? 0, CURRENCY)}
      </td>
      <td>{current.course?.title ?? t('admin.coupons.allCourses')}</td>
      <td>{current.validUntil ? formatDate(current.validUntil) : t('admin.coupons.noEnd')}</td>
      <td>
        {current.maxRedemptions !== null
          ? t('admin.coupons.usedOf', { used: current.redemptionCount, max: current.maxRedemptions })
          : t('admin.coupons.used', { used: current.redemptionCount })}
      </td>
      <td>
        <span className={`badge ${current.active ? 'badge-completed' : ''}`}>
          {current.active ? t('admin.coupons.active') : t('admin.coupons.inactive')}
        </span>
      </td>
      <td className="admin-actions">
        {current.active ? (
          <button type="button" className="button" disabled={fetching} aria-busy={fetching} onClick={() => void doDeactivate()}>
            {t('admin.coupons.deactivate')}
            <span className="visually-hidden"> {current.code}</span>
          </button>
        ) : null}
        <Outcome done={done} refusal={refusal} />
      </td>
    </tr>
  );
}
