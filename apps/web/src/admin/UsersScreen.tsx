import { useId, useRef, useState, type FormEvent } from 'react';
import {
  InviteUserDocument,
  ReactivateUserDocument,
  SetUserPersonaDocument,
  SuspendUserDocument,
  UsersDocument,
  type Persona,
  type UserStatus,
} from '@academy/client';
import { useMutation, useQuery, useSession } from '@academy/client/react';
import { useI18n, type MessageKey } from '../i18n';
import { Loading } from '../screens/Loading';
import { QueryError } from '../screens/QueryError';
import { Outcome, Pager, useCursorPages, useRefusal, useShortDate, type Refusal } from './shared';

const PAGE_SIZE = 20;
/** The personas a tenant admin gives (a platform admin is the platform's). */
const PERSONAS: readonly Persona[] = ['LEARNER', 'INSTRUCTOR', 'EVALUATOR', 'TENANT_ADMIN'];

interface UserRow {
  id: string;
  name: string;
  email: string;
  persona: Persona;
  status: UserStatus;
  createdAt: string;
}

/** `#/admin/users`: the tenant's people (paged), invitations, personas, suspensions. */
export function UsersScreen() {
  const { t } = useI18n();
  const filterId = useId();
  const [persona, setPersona] = useState<Persona | ''>('');
  const pages = useCursorPages();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: UsersDocument,
    variables: { first: PAGE_SIZE, after: pages.after, ...(persona ? { persona } : {}) },
  });
  const page = data?.users;
  // What an action answered, until the list is read again (the mutation makes it refetch).
  const [answered, setAnswered] = useState<{ page: typeof page; statuses: Record<string, UserStatus> }>({ page, statuses: {} });
  const statuses = answered.page === page ? answered.statuses : {};
  const known = (id: string, status: UserStatus) => setAnswered({ page, statuses: { ...statuses, [id]: status } });
  const reload = () => refetch({ requestPolicy: 'network-only' });

  return (
    <section aria-labelledby="admin-users-title">
      <h1 id="admin-users-title">{t('admin.users.title')}</h1>
      <InviteForm onInvited={reload} />
      <section className="card" aria-labelledby="admin-users-list">
        <h2 id="admin-users-list">{t('admin.users.list')}</h2>
        <div className="admin-filter">
          <label htmlFor={filterId}>{t('admin.users.filter')}</label>
          <select
            id={filterId}
            value={persona}
            onChange={(event) => {
              setPersona(event.target.value as Persona | '');
              pages.reset();
            }}
          >
            <option value="">{t('admin.users.filterAll')}</option>
            {PERSONAS.map((option) => (
              <option key={option} value={option}>
                {t(`admin.persona.${option}` as MessageKey)}
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
              {fetching ? t('app.loading') : t('admin.users.count', { count: page.totalCount })}
            </p>
            {page.edges.length === 0 ? (
              <p>{t('admin.users.empty')}</p>
            ) : (
              <div className="admin-table-wrap">
                <table className="admin-table">
                  <caption className="visually-hidden">{t('admin.users.list')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('admin.users.name')}</th>
                      <th scope="col">{t('admin.users.email')}</th>
                      <th scope="col">{t('admin.users.persona')}</th>
                      <th scope="col">{t('admin.users.since')}</th>
                      <th scope="col">{t('admin.users.access')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.edges.map(({ node }) => (
                      <UserLine
                        key={node.id}
                        user={node}
                        status={statuses[node.id] ?? node.status}
                        onStatus={(status) => known(node.id, status)}
                      />
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <Pager
              label={t('admin.users.pages')}
              page={pages.page}
              hasNext={page.pageInfo.hasNextPage}
              busy={fetching}
              onPrevious={pages.previous}
              onNext={() => pages.next(page.pageInfo.endCursor)}
            />
          </>
        ) : null}
      </section>
    </section>
  );
}

function InviteForm({ onInvited }: { onInvited: () => void }) {
  const { t } = useI18n();
  const id = useId();
  const refusalOf = useRefusal();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [persona, setPersona] = useState<Persona>('LEARNER');
  const [done, setDone] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [{ fetching }, invite] = useMutation(InviteUserDocument);
  const emailRef = useRef<HTMLInputElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    setRefusal(null);
    const result = await invite({ email: email.trim(), name: name.trim(), persona });
    if (result.error || !result.data) {
      setRefusal(
        refusalOf(result.error, {
          specific: { CONFLICT: 'admin.users.invite.conflict' },
          labels: { email: t('admin.users.email'), name: t('admin.users.name'), persona: t('admin.users.persona') },
        }),
      );
      return;
    }
    const user = result.data.inviteUser;
    setDone(t('admin.users.invite.done', { name: user.name, email: user.email }));
    setEmail('');
    setName('');
    onInvited();
    emailRef.current?.focus();
  };
  const invalid = (field: string) => refusal?.fields.includes(field) ?? false;

  return (
    <form className="card admin-form" onSubmit={(event) => void submit(event)} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('admin.users.invite')}</h2>
      <p className="muted">{t('admin.users.invite.intro')}</p>
      <div className="admin-form-row">
        <div>
          <label htmlFor={`${id}-email`}>{t('admin.users.email')}</label>
          <input
            ref={emailRef}
            id={`${id}-email`}
            type="email"
            required
            autoComplete="off"
            value={email}
            aria-invalid={invalid('email')}
            onChange={(event) => setEmail(event.target.value)}
          />
        </div>
        <div>
          <label htmlFor={`${id}-name`}>{t('admin.users.name')}</label>
          <input
            id={`${id}-name`}
            required
            autoComplete="off"
            value={name}
            aria-invalid={invalid('name')}
            onChange={(event) => setName(event.target.value)}
          />
        </div>
        <div>
          <label htmlFor={`${id}-persona`}>{t('admin.users.persona')}</label>
          <select id={`${id}-persona`} value={persona} onChange={(event) => setPersona(event.target.value as Persona)}>
            {PERSONAS.map((option) => (
              <option key={option} value={option}>
                {t(`admin.persona.${option}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <button type="submit" className="button button-primary" disabled={fetching} aria-busy={fetching}>
        {fetching ? t('admin.users.invite.busy') : t('admin.users.invite.submit')}
      </button>
      <Outcome done={done} refusal={refusal} />
    </form>
  );
}

function UserLine({ user, status, onStatus }: { user: UserRow; status: UserStatus; onStatus: (status: UserStatus) => void }) {
  const { t } = useI18n();
  const since = useShortDate();
  const { session } = useSession();
  const refusalOf = useRefusal();
  const [persona, setPersona] = useState<Persona>(user.persona);
  const [suspending, setSuspending] = useState(false);
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [{ fetching: changing }, setUserPersona] = useMutation(SetUserPersonaDocument);
  const [{ fetching: suspendingNow }, suspend] = useMutation(SuspendUserDocument);
  const [{ fetching: reactivating }, reactivate] = useMutation(ReactivateUserDocument);
  const id = useId();
  const self = session?.user.id === user.id;
  const busy = changing || suspendingNow || reactivating;
  const personaRefusals = { FORBIDDEN: 'admin.users.persona.forbidden' } as const;

  const changePersona = async (next: Persona) => {
    const before = persona;
    setPersona(next);
    setDone(null);
    setRefusal(null);
    const result = await setUserPersona({ userId: user.id, persona: next });
    if (result.error || !result.data) {
      setPersona(before);
      setRefusal(refusalOf(result.error, { specific: personaRefusals }));
      return;
    }
    setPersona(result.data.setUserPersona.persona);
    setDone(t('admin.users.persona.done', { name: user.name, persona: t(`admin.persona.${next}` as MessageKey) }));
  };

  const confirmSuspend = async (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    setRefusal(null);
    const result = await suspend({ id: user.id, reason: reason.trim() });
    if (result.error || !result.data) {
      setRefusal(
        refusalOf(result.error, {
          specific: { FORBIDDEN: 'admin.users.suspend.forbidden' },
          labels: { reason: t('admin.users.suspend.reason', { name: user.name }) },
        }),
      );
      return;
    }
    onStatus(result.data.suspendUser.status);
    setSuspending(false);
    setReason('');
    setDone(t('admin.users.suspend.done', { name: user.name }));
  };

  const doReactivate = async () => {
    setDone(null);
    setRefusal(null);
    const result = await reactivate({ id: user.id });
    if (result.error || !result.data) {
      setRefusal(
        refusalOf(result.error, {
          specific: { CONFLICT: 'admin.users.reactivate.conflict', FORBIDDEN: 'admin.users.persona.forbidden' },
        }),
      );
      return;
    }
    onStatus(result.data.reactivateUser.status);
    setDone(t('admin.users.reactivate.done', { name: user.name }));
  };

  return (
    <tr>
      <th scope="row">
        {user.name} <span className={`badge admin-status-${status.toLowerCase()}`}>{t(`admin.status.${status}` as MessageKey)}</span>
      </th>
      <td>{user.email}</td>
      <td>
        <label className="visually-hidden" htmlFor={`${id}-persona`}>
          {t('admin.users.personaOf', { name: user.name })}
        </label>
        <select
          id={`${id}-persona`}
          value={persona}
          disabled={busy || self || persona === 'PLATFORM_ADMIN'}
          onChange={(event) => void changePersona(event.target.value as Persona)}
        >
          {(persona === 'PLATFORM_ADMIN' ? [...PERSONAS, persona] : PERSONAS).map((option) => (
            <option key={option} value={option}>
              {t(`admin.persona.${option}` as MessageKey)}
            </option>
          ))}
        </select>
      </td>
      <td className="admin-nowrap">{since(user.createdAt)}</td>
      <td className="admin-actions">
        {self ? (
          <span className="muted">{t('admin.users.you')}</span>
        ) : user.persona === 'PLATFORM_ADMIN' ? null : suspending ? (
          <form onSubmit={(event) => void confirmSuspend(event)} className="admin-inline-form">
            <label htmlFor={`${id}-reason`}>{t('admin.users.suspend.reason', { name: user.name })}</label>
            <input
              id={`${id}-reason`}
              required
              maxLength={500}
              // The field appears on request: where the person's attention already is.
              autoFocus
              value={reason}
              aria-invalid={refusal?.fields.includes('reason') ?? false}
              onChange={(event) => setReason(event.target.value)}
            />
            <button type="submit" className="button button-primary" disabled={busy} aria-busy={suspendingNow}>
              {t('admin.users.suspend.confirm')}
            </button>{' '}
            <button type="button" className="button" onClick={() => (setSuspending(false), setRefusal(null))}>
              {t('admin.cancel')}
            </button>
          </form>
        ) : status === 'ACTIVE' ? (
          <button type="button" className="button" disabled={busy} onClick={() => (setSuspending(true), setDone(null))}>
            {t('admin.users.suspend')}
            <span className="visually-hidden"> {user.name}</span>
          </button>
        ) : status === 'SUSPENDED' ? (
          <button type="button" className="button" disabled={busy} onClick={() => void doReactivate()} aria-busy={reactivating}>
            {t('admin.users.reactivate')}
            <span className="visually-hidden"> {user.name}</span>
          </button>
        ) : (
          // Invited: nothing to do until the invitation is accepted (the account becomes active then).
          <span className="muted">{t('admin.users.invitePending')}</span>
        )}
        <Outcome done={done} refusal={refusal} />
      </td>
    </tr>
  );
}
