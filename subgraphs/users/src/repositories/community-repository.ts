import { decodeCursor, isUuid, pageSize, toPage, type Community, type Page, type TenantScope, type User } from '@academy/platform';

/** Communities of one tenant and their memberships. */
export class CommunityRepository {
  constructor(private readonly db: TenantScope) {}

  findByIds(ids: readonly string[]): Promise<Community[]> {
    return this.db.rows('Community', 'id', ids);
  }

  list(): Promise<Community[]> {
    return this.db.query((tx) => tx.community.findMany({ where: { tenantId: this.db.tenantId }, orderBy: { name: 'asc' } }));
  }

  /** Member count per community id, one query for all of them. */
  async memberCounts(ids: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.db.query((tx) =>
      tx.communityMembership.groupBy({
        by: ['communityId'],
        where: { tenantId: this.db.tenantId, communityId: { in: ids.filter(isUuid) } },
        _count: { _all: true },
      }),
    );
    return new Map(rows.map((row) => [row.communityId, row._count._all]));
  }

  /** Communities per user id, one query for all of them. */
  async communitiesOf(userIds: readonly string[]): Promise<Map<string, Community[]>> {
    const rows = await this.db.query((tx) =>
      tx.communityMembership.findMany({
        where: { tenantId: this.db.tenantId, userId: { in: userIds.filter(isUuid) } },
        include: { community: true },
        orderBy: { community: { name: 'asc' } },
      }),
    );
    const byUser = new Map<string, Community[]>();
    for (const row of rows) byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row.community]);
    return byUser;
  }

  /** Members in joining order; the cursor is (joinedAt, userId). */
  async members(communityId: string, args: { first?: number | null; after?: string | null }): Promise<Page<User>> {
    const size = pageSize(args.first);
    const after = decodeCursor(args.after, ['string', 'string']);
    const filter = { tenantId: this.db.tenantId, communityId };
    const [rows, total] = await this.db.run(
      async (tx) =>
        [
          await tx.communityMembership.findMany({
            where: after
              ? {
                  ...filter,
                  OR: [
                    { joinedAt: { gt: new Date(after[0] as string) } },
                    { joinedAt: new Date(after[0] as string), userId: { gt: after[1] as string } },
                  ],
                }
              : filter,
            include: { user: true },
            orderBy: [{ joinedAt: 'asc' }, { userId: 'asc' }],
            take: size + 1,
          }),
          await tx.communityMembership.count({ where: filter }),
        ] as const,
    );
    const page = toPage(rows, size, total, (row) => [row.joinedAt.toISOString(), row.userId], args.after);
    return { ...page, edges: page.edges.map((edge) => ({ cursor: edge.cursor, node: edge.node.user })) };
  }
}
