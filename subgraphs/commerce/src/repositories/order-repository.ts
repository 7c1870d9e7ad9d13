import {
  isUuid,
  newestFirstAfter,
  pageSize,
  toPage,
  type Order,
  type OrderStatus,
  type Page,
  type Prisma,
  type TenantScope,
  type Tx,
} from '@academy/platform';

/** The key that keeps one PENDING order per buyer and course (`orders.pending_slot`). */
export const pendingSlotOf = (courseId: string, buyerId: string): string => `${courseId}:${buyerId}`;

/** One tenant's orders and the provider events applied to them. */
export class OrderRepository {
  constructor(private readonly db: TenantScope) {}

  findByIds(ids: readonly string[]): Promise<Order[]> {
    return this.db.rows('Order', 'id', ids);
  }

  /** Each buyer's orders, newest first, one query for all. */
  async ofBuyers(buyerIds: readonly string[]): Promise<Map<string, Order[]>> {
    const rows = await this.db.query((tx) =>
      tx.order.findMany({
        where: { tenantId: this.db.tenantId, buyerId: { in: buyerIds.filter(isUuid) } },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
    );
    const byBuyer = new Map<string, Order[]>();
    for (const row of rows) byBuyer.set(row.buyerId, [...(byBuyer.get(row.buyerId) ?? []), row]);
    return byBuyer;
  }

  /** The tenant's orders, newest first (keyset pages), optionally of one status. */
  async page(args: { first?: number | null; after?: string | null; status?: OrderStatus | null }): Promise<Page<Order>> {
    const size = pageSize(args.first);
    const filter: Prisma.OrderWhereInput = { tenantId: this.db.tenantId, ...(args.status ? { status: args.status } : {}) };
    const after = newestFirstAfter('createdAt', args.after);
    const [rows, total] = await this.db.run(
      async (tx) =>
        [
          await tx.order.findMany({
            where: { AND: [filter, after] },
            orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
            take: size + 1,
          }),
          await tx.order.count({ where: filter }),
        ] as const,
    );
    return toPage(rows, size, total, (order) => [order.createdAt.toISOString(), order.id], args.after);
  }

  /** The buyer's PENDING order of the course, locked for the caller's transaction. */
  async pendingLocked(tx: Tx, courseId: string, buyerId: string): Promise<Order | null> {
    const [row] = await tx.$queryRaw<{ id: string }[]>`
      SELECT "id"::text FROM "orders" WHERE "tenant_id" = ${this.db.tenantId}::uuid AND "pending_slot" = ${pendingSlotOf(courseId, buyerId)}
      FOR UPDATE`;
    return row ? tx.order.findUnique({ where: { id: row.id } }) : null;
  }

  /** The order, locked for the caller's transaction (one change of state at a time). */
  async locked(tx: Tx, id: string): Promise<Order | null> {
    if (!isUuid(id)) return null;
    const [row] = await tx.$queryRaw<{ id: string }[]>`
      SELECT "id"::text FROM "orders" WHERE "tenant_id" = ${this.db.tenantId}::uuid AND "id" = ${id}::uuid FOR UPDATE`;
    return row ? tx.order.findUnique({ where: { id: row.id } }) : null;
  }

  /** Serialises checkouts of one buyer and course (a transaction-scoped advisory lock). */
  async lockCheckout(tx: Tx, courseId: string, buyerId: string): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`checkout:${pendingSlotOf(courseId, buyerId)}`}, 0))`;
  }

  create(tx: Tx, data: Omit<Prisma.OrderUncheckedCreateInput, 'tenantId'>): Promise<Order> {
    return tx.order.create({ data: { ...data, tenantId: this.db.tenantId } });
  }

  update(tx: Tx, id: string, data: Prisma.OrderUncheckedUpdateInput): Promise<Order> {
    return tx.order.update({ where: { id, tenantId: this.db.tenantId }, data });
  }

  /** Records a provider event as applied; false when it already was (a duplicate delivery). */
  async recordEvent(tx: Tx, event: { id: string; orderId: string; type: string }): Promise<boolean> {
    const inserted = await tx.$executeRaw`
      INSERT INTO "payment_events" ("id", "tenant_id", "order_id", "type") VALUES (${event.id}, ${this.db.tenantId}::uuid, ${event.orderId}::uuid, ${event.type})
      ON CONFLICT ("id") DO NOTHING`;
    return inserted === 1;
  }
}
