import {
  BadUserInputError,
  newestFirstAfter,
  pageSize,
  toPage,
  type Notification,
  type NotificationKind,
  type Page,
  type Prisma,
  type TenantScope,
} from '@academy/platform';
import { NOTIFICATION_KINDS, preferencesOf, type Preferences } from '../inbox/preferences';

export type NotificationPage = Page<Notification> & { unreadCount: number };

/** One tenant's notifications and preferences; every query names the user it is for. */
export class NotificationRepository {
  constructor(private readonly db: TenantScope) {}

  findByIds(ids: readonly string[]): Promise<Notification[]> {
    return this.db.rows('Notification', 'id', ids);
  }

  /** Newest first; the cursor is (createdAt, id). */
  async page(
    userId: string,
    args: { first?: number | null; after?: string | null; unreadOnly?: boolean | null },
  ): Promise<NotificationPage> {
    const size = pageSize(args.first);
    const after = newestFirstAfter('createdAt', args.after);
    const mine: Prisma.NotificationWhereInput = { tenantId: this.db.tenantId, userId, ...(args.unreadOnly ? { readAt: null } : {}) };
    const [rows, total, unread] = await this.db.run(
      async (tx) =>
        [
          await tx.notification.findMany({
            where: { AND: [mine, after] },
            orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
            take: size + 1,
          }),
          await tx.notification.count({ where: mine }),
          await tx.notification.count({ where: { tenantId: this.db.tenantId, userId, readAt: null } }),
        ] as const,
    );
    return { ...toPage(rows, size, total, (row) => [row.createdAt.toISOString(), row.id], args.after), unreadCount: unread };
  }

  /** Marks the user's unread notifications read (`ids` null: all); how many changed. */
  async markRead(userId: string, ids: readonly string[] | null, at: Date): Promise<number> {
    if (ids && ids.length > 500)
      throw new BadUserInputError('Mark at most 500 notifications at a time', [{ field: 'ids', message: 'at most 500' }]);
    const valid = ids?.filter((id) => /^[0-9a-f-]{36}$/i.test(id)) ?? null;
    if (valid && valid.length === 0) return 0;
    const { count } = await this.db.run((tx) =>
      tx.notification.updateMany({
        where: { tenantId: this.db.tenantId, userId, readAt: null, ...(valid ? { id: { in: valid } } : {}) },
        data: { readAt: at },
      }),
    );
    return count;
  }

  async preferences(userId: string): Promise<Preferences> {
    const row = await this.db.query((tx) =>
      tx.notificationPreference.findUnique({ where: { tenantId_userId: { tenantId: this.db.tenantId, userId } } }),
    );
    return preferencesOf(row);
  }

  async savePreferences(userId: string, preferences: Preferences): Promise<Preferences> {
    const emailKinds = NOTIFICATION_KINDS.filter((kind: NotificationKind) => preferences.emailKinds.includes(kind));
    const row = await this.db.run((tx) =>
      tx.notificationPreference.upsert({
        where: { tenantId_userId: { tenantId: this.db.tenantId, userId } },
        create: { tenantId: this.db.tenantId, userId, email: preferences.email, emailKinds },
        update: { email: preferences.email, emailKinds },
      }),
    );
    return preferencesOf(row);
  }
}
