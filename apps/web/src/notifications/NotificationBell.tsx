import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { describeError, MarkNotificationsReadDocument, MyNotificationsDocument, NotificationReceivedDocument } from '@academy/client';
import { useMutation, useQuery, useSubscription } from '@academy/client/react';
import { useI18n } from '../i18n';
import { Loading } from '../screens/Loading';
import { QueryError } from '../screens/QueryError';
import './notifications.css';
import { useCursorPages } from '../screens/cursor-pages';

const PAGE_SIZE = 8;

/**
 * The bell of the header (signed-in people): the unread count, a panel of the notifications
 * (newest first, paged by cursor) to read and mark as read, and new ones arriving live
 * (`notificationReceived` over graphql-ws): the count and the list follow without a reload.
 */
export function NotificationBell() {
  const { t, locale } = useI18n();
  const panelId = useId();
  const titleId = useId();
  const [open, setOpen] = useState(false);
  const pages = useCursorPages();
  const { after } = pages;
  const [{ data, fetching, error }, refetch] = useQuery({ query: MyNotificationsDocument, variables: { first: PAGE_SIZE, after } });
  const connection = data?.me?.notifications;
  const unread = connection?.unreadCount ?? 0;
  const [{ fetching: marking }, mark] = useMutation(MarkNotificationsReadDocument);
  const [markError, setMarkError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const wrapper = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  // Each notification as it is made: said to screen readers, and the count and page asked for again.
  const [{ data: live, error: liveError }] = useSubscription({ query: NotificationReceivedDocument });
  const arrived = live?.notificationReceived;
  useEffect(() => {
    if (!arrived) return;
    setAnnouncement(t('notifications.arrived', { title: arrived.title }));
    refetch({ requestPolicy: 'network-only' });
    // Only a new notification (not a new `t` or `refetch`) asks again.
  }, [arrived]);

  // A click elsewhere, or Escape anywhere, closes the panel (Escape gives the bell the focus back).
  useEffect(() => {
    if (!open) return;
    const outside = (event: MouseEvent) => {
      if (wrapper.current && !wrapper.current.contains(event.target as Node)) setOpen(false);
    };
    const escape = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener('mousedown', outside);
    document.addEventListener('keydown', escape);
    return () => {
      document.removeEventListener('mousedown', outside);
      document.removeEventListener('keydown', escape);
    };
  }, [open]);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  const markRead = async (ids: string[] | null) => {
    setMarkError(null);
    const result = await mark(ids ? { ids } : {});
    if (result.error) setMarkError(describeError(result.error, locale).message);
    refetch({ requestPolicy: 'network-only' });
  };

  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const edges = connection?.edges ?? [];

  return (
    <div className="notifications" ref={wrapper}>
      <button
        ref={button}
        type="button"
        className="button button-on-brand notifications-button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((was) => !was)}
      >
        <BellIcon />
        <span className="visually-hidden">
          {t('notifications.button')}
          {unread > 0 ? `, ${t('notifications.unread', { count: unread })}` : ''}
        </span>
        {unread > 0 ? (
          <span className="notifications-count" aria-hidden="true" data-testid="notifications-count">
            {unread > 99 ? '99+' : unread}
          </span>
        ) : null}
      </button>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      <section id={panelId} className="notifications-panel" aria-labelledby={titleId} hidden={!open}>
        <div className="notifications-head">
          <h2 id={titleId}>{t('notifications.title')}</h2>
          <button type="button" className="notifications-close" onClick={close}>
            <span aria-hidden="true">×</span>
            <span className="visually-hidden">{t('notifications.close')}</span>
          </button>
        </div>
        <div className="notifications-tools">
          <span className="muted" data-testid="notifications-unread">
            {t('notifications.unread', { count: unread })}
          </span>
          <button
            type="button"
            className="button notifications-small"
            disabled={unread === 0 || marking}
            onClick={() => void markRead(null)}
          >
            {t('notifications.markAll')}
          </button>
        </div>
        {markError ? (
          <p role="alert" className="error">
            {markError}
          </p>
        ) : null}
        {fetching && !connection ? (
          <Loading />
        ) : error && !connection ? (
          <QueryError error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />
        ) : edges.length === 0 ? (
          <p>{t('notifications.empty')}</p>
        ) : (
          <ul className="notifications-list" aria-busy={fetching}>
            {edges.map(({ node }) => (
              <li key={node.id} className={node.readAt ? 'notification' : 'notification notification-unread'}>
                <p className="notification-title">
                  {node.readAt ? null : <span className="badge notification-new">{t('notifications.new')}</span>}
                  {node.link && /^https?:\/\//.test(node.link) ? (
                    <a href={node.link} onClick={() => void (node.readAt ? undefined : markRead([node.id]))}>
                      {node.title}
                    </a>
                  ) : node.link ? (
                    <Link
                      to={node.link}
                      onClick={() => {
                        if (!node.readAt) void markRead([node.id]);
                        setOpen(false);
                      }}
                    >
                      {node.title}
                    </Link>
                  ) : (
                    <strong>{node.title}</strong>
                  )}
                </p>
                <p className="notification-body">{node.body}</p>
                <p className="notification-meta muted">
                  <time dateTime={node.createdAt}>{dateTime.format(new Date(node.createdAt))}</time>
                  {node.readAt ? null : (
                    <button type="button" className="notifications-link-button" disabled={marking} onClick={() => void markRead([node.id])}>
                      {t('notifications.markOne')}
                      <span className="visually-hidden">{t('notifications.markOneOf', { title: node.title })}</span>
                    </button>
                  )}
                </p>
              </li>
            ))}
          </ul>
        )}
        {connection && (pages.page > 1 || connection.pageInfo.hasNextPage) ? (
          <nav aria-label={t('notifications.page')} className="notifications-pager">
            <button type="button" className="button notifications-small" disabled={pages.page === 1 || fetching} onClick={pages.previous}>
              {t('notifications.newer')}
            </button>
            <button
              type="button"
              className="button notifications-small"
              disabled={!connection.pageInfo.hasNextPage || fetching}
              onClick={() => pages.next(connection.pageInfo.endCursor)}
            >
              {t('notifications.older')}
            </button>
          </nav>
        ) : null}
        {liveError ? <p className="muted notifications-offline">{t('notifications.offline')}</p> : null}
      </section>
    </div>
  );
}

function BellIcon() {
  return (
    <svg aria-hidden="true" focusable="false" width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2">
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" strokeLinecap="round" strokeLinejoin="round" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
