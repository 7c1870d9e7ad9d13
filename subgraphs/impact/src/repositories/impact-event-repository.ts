import {
  isUuid,
  NotFoundError,
  pageSize,
  type ImpactContribution,
  type ImpactEvent,
  type ImpactEventType,
  type Prisma,
  type TenantScope,
  type VerificationLevel,
} from '@academy/platform';

/** Impact events of one tenant. */
export class ImpactEventRepository {
  constructor(private readonly db: TenantScope) {}

  findByIds(ids: readonly string[]): Promise<ImpactEvent[]> {
    return this.db.byIds(ids, (tx, valid) => tx.impactEvent.findMany({ where: { tenantId: this.db.tenantId, id: { in: valid } } }));
  }

  /** A user's events, newest first; `after` is the id of the last event seen (the list has no cursors). */
  list(args: { userId: string; first?: number | null; after?: string | null }): Promise<ImpactEvent[]> {
    const size = pageSize(args.first);
    return this.db.run(async (tx) => {
      let last: ImpactEvent | null = null;
      if (args.after) {
        last = isUuid(args.after) ? await tx.impactEvent.findFirst({ where: { tenantId: this.db.tenantId, id: args.after, userId: args.userId } }) : null;
        if (!last) throw new NotFoundError('Impact event (after)');
      }
      return tx.impactEvent.findMany({
        where: {
          tenantId: this.db.tenantId,
          userId: args.userId,
          ...(last ? { OR: [{ occurredAt: { lt: last.occurredAt } }, { occurredAt: last.occurredAt, id: { lt: last.id } }] } : {}),
        },
        orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }],
        take: size,
      });
    });
  }

  async contributionsOf(eventIds: readonly string[]): Promise<Map<string, ImpactContribution[]>> {
    const rows = await this.db.run((tx) =>
      tx.impactContribution.findMany({ where: { tenantId: this.db.tenantId, eventId: { in: eventIds.filter(isUuid) } }, orderBy: { dimension: 'asc' } }),
    );
    const byEvent = new Map<string, ImpactContribution[]>();
    for (const row of rows) byEvent.set(row.eventId, [...(byEvent.get(row.eventId) ?? []), row]);
    return byEvent;
  }

  /** Whether a user / community of this tenant has this id (reports and lists name them). */
  async exists(kind: 'user' | 'community', id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    return this.db.run(async (tx) =>
      kind === 'user'
        ? (await tx.user.count({ where: { tenantId: this.db.tenantId, id } })) > 0
        : (await tx.community.count({ where: { tenantId: this.db.tenantId, id } })) > 0,
    );
  }

  userCreatedAt(userId: string): Promise<Date | null> {
    return this.db.run(async (tx) => (await tx.user.findFirst({ where: { tenantId: this.db.tenantId, id: userId }, select: { createdAt: true } }))?.createdAt ?? null);
  }

  /** A self-reported event and the outbox event that feeds aggregation, in one transaction. */
  record(event: { userId: string; type: ImpactEventType; description: string; occurredAt: Date; quantities: Prisma.InputJsonObject }): Promise<ImpactEvent> {
    const tenantId = this.db.tenantId;
    return this.db.run(async (tx) => {
      const created = await tx.impactEvent.create({ data: { tenantId, ...event, verification: 'SELF_REPORTED' } });
      await tx.outboxEvent.create({
        data: { tenantId, type: 'impact.event.recorded', aggregateType: 'ImpactEvent', aggregateId: created.id, payload: { eventId: created.id, userId: event.userId } },
      });
      return created;
    });
  }

  verify(id: string, level: VerificationLevel, verifierId: string | null, at: Date): Promise<ImpactEvent> {
    const tenantId = this.db.tenantId;
    return this.db.run(async (tx) => {
      const updated = await tx.impactEvent.update({ where: { id, tenantId }, data: { verification: level, verifiedById: verifierId, verifiedAt: at } });
      await tx.outboxEvent.create({
        data: { tenantId, type: 'impact.event.verified', aggregateType: 'ImpactEvent', aggregateId: id, payload: { eventId: id, userId: updated.userId, level } },
      });
      return updated;
    });
  }
}
