import { randomUUID } from 'node:crypto';
import type { OutboxRecord } from '@academy/events';
import type { Database, Logger, Prisma } from '@academy/platform';
import { FactsRepository } from '../repositories/facts-repository';
import { messageLocale, MESSAGES } from './messages';
import { DRAFTING, type NotificationDraft, type NotifyingEvent } from './notification-drafts';
import { preferencesOf, wantsEmail } from './preferences';

export interface NotificationCreated {
  tenantId: string;
  notificationId: string;
  userId: string;
}

export interface InboxOutlets {
  /** Tells the live subscribers (Redis pub/sub), once per new notification. */
  published(notification: NotificationCreated): Promise<unknown>;
  /** Queues the email of a notification (idempotent per notification). */
  emailQueued(job: { tenantId: string; notificationId: string }): Promise<unknown>;
}

/**
 * Turns a domain event into notifications: one per recipient and event (an event delivered
 * again finds its notifications made), in the recipient's locale, with its email queued when
 * their preferences keep its kind; then tells the live subscribers.
 */
export class NotificationInbox {
  constructor(
    private readonly database: Database,
    private readonly outlets: InboxOutlets,
    private readonly logger: Logger,
  ) {}

  async deliver<Definition extends NotifyingEvent>(definition: Definition, event: OutboxRecord<unknown>): Promise<{ created: number }> {
    const db = this.database.forTenant(event.tenantId);
    const drafting = DRAFTING[definition.type] as (payload: unknown, facts: FactsRepository) => Promise<NotificationDraft[]>;
    const drafts = await drafting(event.payload, new FactsRepository(db));
    const sourceKey = `${event.type}:${event.id}`;
    const created: NotificationCreated[] = [];
    const emails: string[] = [];
    await db.run(async (tx) => {
      for (const draft of drafts) {
        const recipient = await tx.user.findFirst({
          where: { tenantId: event.tenantId, id: draft.userId },
          select: { locale: true, notificationPrefs: { select: { email: true, emailKinds: true } } },
        });
        if (!recipient) {
          this.logger.warn({ event: event.type, eventId: event.id }, 'notification for a user who no longer exists: skipped');
          continue;
        }
        const existing = await tx.notification.findUnique({
          where: { tenantId_userId_sourceKey: { tenantId: event.tenantId, userId: draft.userId, sourceKey } },
          select: { id: true, email: { select: { status: true } } },
        });
        if (existing) {
          // Delivered before (the relay and the notify job deliver at least once): its email may still wait for a job.
          if (existing.email?.status === 'PENDING') emails.push(existing.id);
          continue;
        }
        const locale = messageLocale(recipient.locale);
        const message = MESSAGES[draft.kind][locale](draft.facts);
        const id = randomUUID();
        const email = wantsEmail(draft.kind, preferencesOf(recipient.notificationPrefs[0] ?? null));
        await tx.notification.create({
          data: {
            id,
            tenantId: event.tenantId,
            userId: draft.userId,
            kind: draft.kind,
            title: message.title,
            body: message.body,
            link: draft.link,
            locale,
            sourceKey,
            payload: draft.facts as Prisma.InputJsonObject,
          },
        });
        if (email) await tx.emailDelivery.create({ data: { tenantId: event.tenantId, notificationId: id } });
        created.push({ tenantId: event.tenantId, notificationId: id, userId: draft.userId });
        if (email) emails.push(id);
      }
    });
    for (const notification of created) await this.outlets.published(notification);
    for (const notificationId of emails) await this.outlets.emailQueued({ tenantId: event.tenantId, notificationId });
    return { created: created.length };
  }
}
