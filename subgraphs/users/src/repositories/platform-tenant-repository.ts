import {
  decodeCursor,
  pageSize,
  toPage,
  type Database,
  type Page,
  type PlatformAccess,
  type Tenant,
  type TenantStatus,
  type Tx,
} from '@academy/platform';

/** A tenant with how many accounts it has (PLATFORM_ADMIN's view). */
export type CountedTenant = Tenant & { userCount: number };

/**
 * Every tenant, across tenants: the platform admin's. Each call is one audited platform unit of
 * work (Database.asPlatform): the audit row is written with the work it allows.
 */
export class PlatformTenantRepository {
  constructor(private readonly database: Database) {}

  /** Oldest first; the cursor is (createdAt, id). */
  page(
    args: { first?: number | null; after?: string | null; status?: TenantStatus | null },
    access: PlatformAccess,
  ): Promise<Page<CountedTenant>> {
    const size = pageSize(args.first);
    const after = decodeCursor(args.after, ['string', 'string']);
    const filter = args.status ? { status: args.status } : {};
    return this.database.asPlatform(access, async (tx) => {
      const [rows, total] = [
        await tx.tenant.findMany({
          where: after
            ? {
                ...filter,
                OR: [
                  { createdAt: { gt: new Date(after[0] as string) } },
                  { createdAt: new Date(after[0] as string), id: { gt: after[1] as string } },
                ],
              }
            : filter,
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          take: size + 1,
          include: { _count: { select: { users: true } } },
        }),
        await tx.tenant.count({ where: filter }),
      ];
      const counted = rows.map(({ _count, ...tenant }) => ({ ...tenant, userCount: _count.users }));
      return toPage(counted, size, total, (tenant) => [tenant.createdAt.toISOString(), tenant.id], args.after);
    });
  }

  /** Accounts of a tenant, of every status. */
  userCount(id: string, access: PlatformAccess): Promise<number> {
    return this.database.asPlatform(access, (tx) => tx.user.count({ where: { tenantId: id } }));
  }

  /** The tenant with its new status, and whether it changed; null when there is no such tenant. */
  setStatus(id: string, status: TenantStatus, access: PlatformAccess): Promise<{ tenant: Tenant; changed: boolean } | null> {
    return this.database.asPlatform(access, async (tx) => {
      const current = await tx.tenant.findUnique({ where: { id } });
      if (!current) return null;
      if (current.status === status) return { tenant: current, changed: false };
      return { tenant: await tx.tenant.update({ where: { id }, data: { status } }), changed: true };
    });
  }

  /** A new tenant and whatever else `also` writes in the same transaction (its first admin). */
  create<T>(
    data: { slug: string; name: string; tier: Tenant['tier'] },
    access: PlatformAccess,
    also: (tx: Tx, tenant: Tenant) => Promise<T>,
  ): Promise<T> {
    return this.database.asPlatform(access, async (tx) => also(tx, await tx.tenant.create({ data })));
  }
}
