import { isUuid, type Coupon, type Prisma, type TenantScope, type Tx } from '@academy/platform';

/** How a code is compared: trimmed and upper-cased ("verano25" is "VERANO25"). */
export const codeKeyOf = (code: string): string => code.trim().toUpperCase();

/** One tenant's coupons and their redemption counts. */
export class CouponRepository {
  constructor(private readonly db: TenantScope) {}

  findByIds(ids: readonly string[]): Promise<Coupon[]> {
    return this.db.rows('Coupon', 'id', ids);
  }

  findByCode(code: string): Promise<Coupon | null> {
    return this.db.query((tx) =>
      tx.coupon.findUnique({ where: { tenantId_codeKey: { tenantId: this.db.tenantId, codeKey: codeKeyOf(code) } } }),
    );
  }

  create(data: Omit<Prisma.CouponUncheckedCreateInput, 'tenantId' | 'codeKey'>): Promise<Coupon> {
    return this.db.run((tx) => tx.coupon.create({ data: { ...data, tenantId: this.db.tenantId, codeKey: codeKeyOf(data.code) } }));
  }

  /** Newest first: every coupon, those of a course, or (an instructor's view) those they made. */
  list(filter: { courseId?: string | null; createdById?: string | null }): Promise<Coupon[]> {
    if (filter.courseId && !isUuid(filter.courseId)) return Promise.resolve([]);
    return this.db.query((tx) =>
      tx.coupon.findMany({
        where: {
          tenantId: this.db.tenantId,
          ...(filter.courseId ? { courseId: filter.courseId } : {}),
          ...(filter.createdById ? { createdById: filter.createdById } : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
    );
  }

  deactivate(id: string): Promise<Coupon> {
    return this.db.run((tx) => tx.coupon.update({ where: { id, tenantId: this.db.tenantId }, data: { active: false } }));
  }

  /**
   * Takes one redemption, if one is left, in one UPDATE: concurrent checkouts each get one or
   * none, never more than maxRedemptions between them. False when none is left (or the coupon
   * stopped being active or valid meanwhile).
   */
  async redeem(tx: Tx, id: string, now: Date): Promise<boolean> {
    const taken = await tx.$executeRaw`
      UPDATE "coupons" SET "redemption_count" = "redemption_count" + 1, "updated_at" = ${now}
      WHERE "tenant_id" = ${this.db.tenantId}::uuid AND "id" = ${id}::uuid AND "active"
        AND ("valid_until" IS NULL OR "valid_until" > ${now})
        AND ("max_redemptions" IS NULL OR "redemption_count" < "max_redemptions")`;
    return taken === 1;
  }

  /** Gives back an order's redemption (its order failed, expired or was cancelled). */
  async release(tx: Tx, id: string): Promise<void> {
    await tx.$executeRaw`
      UPDATE "coupons" SET "redemption_count" = "redemption_count" - 1, "updated_at" = now()
      WHERE "tenant_id" = ${this.db.tenantId}::uuid AND "id" = ${id}::uuid AND "redemption_count" > 0`;
  }
}
