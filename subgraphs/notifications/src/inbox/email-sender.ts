import type { Database, Logger } from '@academy/platform';
import { maskEmail, MailerRejectedError, renderNotificationEmail, type Mailer } from '../email';
import { messageLocale, MESSAGES, type NotificationFacts } from './messages';
import { ALWAYS_EMAILED, preferencesOf, wantsEmail } from './preferences';

export type EmailOutcome = 'sent' | 'already-sent' | 'skipped' | 'rejected' | 'failed' | 'retry';

export interface EmailSenderOptions {
  /** https://{tenant}.academy.mx: links in emails go to the tenant's apps. */
  appUrl: string;
  /** Counted per outcome (academy_emails_total). */
  onOutcome?: (outcome: EmailOutcome) => void;
}

/**
 * Sends the email of one notification, at most once: the delivery row says whether it was sent,
 * and only a PENDING one is sent (and marked SENT in the same breath). A kind the user stopped
 * wanting by email since it was queued is SKIPPED; an address the server refuses is FAILED; the
 * rest is retried by the queue (`final`: the last attempt, after which it is FAILED).
 */
export class EmailSender {
  constructor(
    private readonly database: Database,
    private readonly mailer: Mailer,
    private readonly options: EmailSenderOptions,
    private readonly logger: Logger,
  ) {}

  async send(job: { tenantId: string; notificationId: string }, final: boolean): Promise<EmailOutcome> {
    const db = this.database.forTenant(job.tenantId);
    const found = await db.query((tx) =>
      tx.emailDelivery.findUnique({
        where: { tenantId_notificationId: { tenantId: job.tenantId, notificationId: job.notificationId } },
        include: {
          tenant: { select: { slug: true, name: true, settings: true } },
          notification: {
            include: {
              user: { select: { email: true, name: true, locale: true, notificationPrefs: { select: { email: true, emailKinds: true } } } },
            },
          },
        },
      }),
    );
    if (!found) return this.outcome('skipped');
    if (found.status === 'SENT') return this.outcome('already-sent');
    if (found.status !== 'PENDING') return this.outcome('skipped');
    const { notification, tenant } = found;
    const { user } = notification;
    const mark = (data: { status: 'SENT' | 'SKIPPED' | 'FAILED'; messageId?: string; lastError?: string }) =>
      db.run((tx) =>
        tx.emailDelivery.updateMany({
          where: { tenantId: job.tenantId, notificationId: job.notificationId, status: 'PENDING' },
          data: { ...data, attempts: { increment: 1 }, ...(data.status === 'SENT' ? { sentAt: new Date() } : {}) },
        }),
      );
    if (!wantsEmail(notification.kind, preferencesOf(user.notificationPrefs[0] ?? null))) {
      await mark({ status: 'SKIPPED' });
      return this.outcome('skipped');
    }
    const settings = (tenant.settings ?? {}) as { primaryColor?: unknown; emailFrom?: unknown; logoUrl?: unknown };
    const base = this.options.appUrl.replaceAll('{tenant}', tenant.slug);
    const locale = messageLocale(notification.locale);
    // The title and body as stored (what the apps show); the button's label from the catalogue.
    const message = MESSAGES[notification.kind][locale](notification.payload as NotificationFacts);
    const email = await renderNotificationEmail(
      { tenantName: tenant.name, primaryColor: typeof settings.primaryColor === 'string' ? settings.primaryColor : null },
      {
        locale,
        recipientName: user.name,
        title: notification.title,
        body: notification.body,
        action: notification.link ? { label: message.action, url: `${base}${notification.link}` } : null,
        preferencesUrl: ALWAYS_EMAILED.includes(notification.kind) ? null : `${base}/settings/notifications`,
      },
    );
    const to = maskEmail(user.email);
    try {
      const sent = await this.mailer.send({
        to: user.email,
        toName: user.name,
        fromName: typeof settings.emailFrom === 'string' && settings.emailFrom ? settings.emailFrom : tenant.name,
        subject: email.subject,
        html: email.html,
        text: email.text,
        messageId: `<${notification.id}@academy.mx>`,
        headers: { 'X-Academy-Notification': notification.id, 'X-Academy-Kind': notification.kind },
      });
      await mark({ status: 'SENT', messageId: sent.messageId });
      // A one-time link (invitation, password reset) lives in its email only, once that is sent.
      if (ALWAYS_EMAILED.includes(notification.kind))
        await db.run((tx) =>
          tx.notification.updateMany({ where: { tenantId: job.tenantId, id: notification.id }, data: { link: null, payload: {} } }),
        );
      this.logger.info({ to, kind: notification.kind, notificationId: notification.id }, 'email sent');
      return this.outcome('sent');
    } catch (error) {
      const reason = (error as Error).message.slice(0, 500);
      if (error instanceof MailerRejectedError || final) {
        await mark({ status: 'FAILED', lastError: reason });
        this.logger.error({ to, kind: notification.kind, notificationId: notification.id, err: reason }, 'email not sent: given up');
        return this.outcome(error instanceof MailerRejectedError ? 'rejected' : 'failed');
      }
      await db.run((tx) =>
        tx.emailDelivery.updateMany({
          where: { tenantId: job.tenantId, notificationId: job.notificationId, status: 'PENDING' },
          data: { attempts: { increment: 1 }, lastError: reason },
        }),
      );
      this.outcome('retry');
      this.logger.warn({ to, kind: notification.kind, notificationId: notification.id, err: reason }, 'email not sent yet: will retry');
      throw error;
    }
  }

  /** PENDING deliveries older than `olderThanMs` (a job lost before it was queued), across tenants: queued again. */
  async stale(olderThanMs: number, limit = 500): Promise<{ tenantId: string; notificationId: string }[]> {
    const rows = await this.database.prisma.$queryRaw<{ tenant_id: string; notification_id: string }[]>`
      SELECT * FROM app_email_pending_deliveries(${new Date(Date.now() - olderThanMs)}, ${limit})`;
    return rows.map((row) => ({ tenantId: row.tenant_id, notificationId: row.notification_id }));
  }

  private outcome(outcome: EmailOutcome): EmailOutcome {
    this.options.onOutcome?.(outcome);
    return outcome;
  }
}
