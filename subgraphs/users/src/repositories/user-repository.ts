import { pageSize, decodeCursor, toPage, type Page, type Persona, type TenantScope, type User, type UserStatus } from '@academy/platform';

/** Users of one tenant; every query runs in the tenant's scope and filters on it. */
export class UserRepository {
  constructor(private readonly db: TenantScope) {}

  findByIds(ids: readonly string[]): Promise<User[]> {
    return this.db.rows('User', 'id', ids);
  }

  findByEmail(email: string): Promise<User | null> {
    return this.db.query((tx) => tx.user.findUnique({ where: { tenantId_email: { tenantId: this.db.tenantId, email } } }));
  }

  /** Oldest first; the cursor is (createdAt, id). */
  async page(args: { first?: number | null; after?: string | null; persona?: Persona | null }): Promise<Page<User>> {
    const size = pageSize(args.first);
    const after = decodeCursor(args.after, ['string', 'string']);
    const filter = { tenantId: this.db.tenantId, ...(args.persona ? { persona: args.persona } : {}) };
    const [rows, total] = await this.db.run(
      async (tx) =>
        [
          await tx.user.findMany({
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
          }),
          await tx.user.count({ where: filter }),
        ] as const,
    );
    return toPage(rows, size, total, (user) => [user.createdAt.toISOString(), user.id], args.after);
  }

  /** Accounts of the tenant, of every status. */
  count(): Promise<number> {
    return this.db.query((tx) => tx.user.count({ where: { tenantId: this.db.tenantId } }));
  }

  create(data: { email: string; name: string; passwordHash: string; persona: Persona; status?: UserStatus }): Promise<User> {
    return this.db.run((tx) => tx.user.create({ data: { ...data, tenantId: this.db.tenantId } }));
  }

  /** An invited account accepts: its password, ACTIVE, and (as a login) no failed attempts. */
  activate(id: string, passwordHash: string, at: Date): Promise<User> {
    return this.db.run((tx) =>
      tx.user.update({
        where: { id, tenantId: this.db.tenantId },
        data: { passwordHash, status: 'ACTIVE', failedLoginAttempts: 0, lastLoginAt: at },
      }),
    );
  }

  /** A new password (a reset): the failed attempts go with the old one. */
  setPassword(id: string, passwordHash: string): Promise<User> {
    return this.db.run((tx) =>
      tx.user.update({ where: { id, tenantId: this.db.tenantId }, data: { passwordHash, failedLoginAttempts: 0 } }),
    );
  }

  updateProfile(id: string, changes: { name?: string; curp?: string; locale?: string; avatarFileId?: string | null }): Promise<User> {
    return this.db.run((tx) => tx.user.update({ where: { id, tenantId: this.db.tenantId }, data: changes }));
  }

  setStatus(id: string, status: UserStatus): Promise<User> {
    return this.db.run((tx) => tx.user.update({ where: { id, tenantId: this.db.tenantId }, data: { status } }));
  }

  setPersona(id: string, persona: Persona): Promise<User> {
    return this.db.run((tx) => tx.user.update({ where: { id, tenantId: this.db.tenantId }, data: { persona } }));
  }

  /** Counts a wrong password (since the last login, from anywhere: for admins to see; it locks nothing). */
  recordFailedLogin(id: string): Promise<User> {
    return this.db.run((tx) =>
      tx.user.update({ where: { id, tenantId: this.db.tenantId }, data: { failedLoginAttempts: { increment: 1 } } }),
    );
  }

  recordLogin(id: string, at: Date): Promise<User> {
    return this.db.run((tx) =>
      tx.user.update({ where: { id, tenantId: this.db.tenantId }, data: { failedLoginAttempts: 0, lastLoginAt: at } }),
    );
  }
}
