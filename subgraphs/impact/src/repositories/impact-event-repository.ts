import { impactEventVerified } from '@academy/events';
import {
  isUuid,
  NotFoundError,
  pageSize,
  BadUserInputError,
  type ImpactEvent,
  type ImpactEventType,
  type Prisma,
  type TenantScope,
  type VerificationLevel,
} from '@academy/platform';
import { scoredEvent } from '@academy/impact-scoring';

export interface NewImpactEvent {
  userId: string;
  communityId: string | null;
  type: ImpactEventType;
  description: string;
  occurredAt: Date;
  quantities: Record<string, number>;
}

/** Impact events of one tenant. Every write scores the event; the database does the rest (aggregation). */
export class ImpactEventRepository {
  constructor(private readonly db: TenantScope) {}

  findByIds(ids: readonly string[]): Promise<ImpactEvent[]> {
    return this.db.rows('ImpactEvent', 'id', ids);
  }

  /** A user's events, newest first; `after` is the id of the last event seen (the list has no cursors). */
  list(args: { userId: string; first?: number | null; after?: string | null }): Promise<ImpactEvent[]> {
    const size = pageSize(args.first);
    return this.db.run(async (tx) => {
      let last: ImpactEvent | null = null;
      if (args.after) {
        last = isUuid(args.after)
          ? await tx.impactEvent.findFirst({ where: { tenantId: this.db.tenantId, id: args.after, userId: args.userId } })
          : null;
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
    return this.db.run(
      async (tx) =>
        (await tx.user.findFirst({ where: { tenantId: this.db.tenantId, id: userId }, select: { createdAt: true } }))?.createdAt ?? null,
    );
  }

  /**
   * The community an event of this person counts for: the one named, which must be theirs, or
   * else their first (earliest joined), or none.
   */
  communityOf(userId: string, named: string | null | undefined): Promise<string | null> {
    return this.db.run(async (tx) => {
      if (named !== null && named !== undefined) {
        if (!(await this.exists('community', named))) throw new NotFoundError('Community');
        const member = await tx.communityMembership.count({ where: { tenantId: this.db.tenantId, userId, communityId: named } });
        if (member === 0)
          throw new BadUserInputError('Invalid impact event', [{ field: 'communityId', message: 'must be a community you belong to' }]);
        return named;
      }
      const first = await tx.communityMembership.findFirst({
        where: { tenantId: this.db.tenantId, userId },
        orderBy: [{ joinedAt: 'asc' }, { communityId: 'asc' }],
      });
      return first?.communityId ?? null;
    });
  }

  /** A self-reported event, scored. */
  record(event: NewImpactEvent): Promise<ImpactEvent> {
    const verification: VerificationLevel = 'SELF_REPORTED';
    return this.db.run((tx) =>
      tx.impactEvent.create({
        data: {
          tenantId: this.db.tenantId,
          ...event,
          quantities: event.quantities as Prisma.InputJsonObject,
          verification,
          ...scoredEvent({ type: event.type, verification, quantities: event.quantities }),
        },
      }),
    );
  }

  /** A new verification level, and the points it gives the event. */
  /** Verifies the event and writes `impact.event.verified` (its person is told), in one transaction. */
  verify(event: ImpactEvent, level: VerificationLevel, verifierId: string | null, at: Date): Promise<ImpactEvent> {
    return this.db.run(async (tx) => {
      const verified = await tx.impactEvent.update({
        where: { id: event.id, tenantId: this.db.tenantId },
        data: {
          verification: level,
          verifiedById: verifierId,
          verifiedAt: at,
          ...scoredEvent({ type: event.type, verification: level, quantities: event.quantities as Record<string, unknown> }),
        },
      });
      if (verifierId)
        await impactEventVerified.write(tx, {
          tenantId: this.db.tenantId,
          aggregateId: event.id,
          payload: {
            impactEventId: event.id,
            userId: event.userId,
            verifiedBy: verifierId,
            description: event.description,
            verificationLevel: level,
          },
        });
      return verified;
    });
  }
}
