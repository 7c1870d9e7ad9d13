import { randomBytes } from 'node:crypto';
import { createTenant, openTestDatabase, type TestDatabase, type TestTenant } from '@academy/testing';
import { createDatabaseClient, Database } from '../src';

/**
 * `TenantScope.query`: reads without a transaction, on a read-only connection of the session
 * pool that keeps its tenant as a session setting. What is checked: each read sees its tenant's
 * rows and no other's, even when one connection serves tenant after tenant; what is sent (no
 * BEGIN/COMMIT, the tenant only when the connection has another); that nothing can be written
 * there; and that inside a unit of work a query joins it.
 */
describe('read sessions (TenantScope.query)', () => {
  const sent: string[] = [];
  let db: TestDatabase;
  let one: ReturnType<typeof createDatabaseClient>;
  let database: Database;
  let a: TestTenant;
  let b: TestTenant;
  let c: TestTenant;
  const courses = new Map<string, string[]>();

  beforeAll(async () => {
    db = openTestDatabase();
    // One connection in each pool: every session of every tenant takes the same connection.
    one = createDatabaseClient({ url: db.appUrl, poolSize: 1, onStatement: (sql) => sent.push(sql) });
    database = new Database(one.prisma, { sessions: one.sessions });
    [a, b, c] = await Promise.all([createTenant(db.database), createTenant(db.database), createTenant(db.database)]);
    for (const tenant of [a, b, c]) {
      const created = await db.database
        .forTenant(tenant.tenant.id)
        .run((tx) => Promise.all([1, 2].map(() => tx.course.create({ data: newCourse(tenant), select: { id: true } }))));
      courses.set(tenant.tenant.id, created.map((course) => course.id).sort());
    }
  });
  afterAll(async () => {
    await one?.close();
    await db?.close();
  });

  const newCourse = (tenant: TestTenant) => ({
    tenantId: tenant.tenant.id,
    slug: `c-${randomBytes(4).toString('hex')}`,
    title: 'Curso',
    description: 'Un curso',
    priceCents: 0,
    instructorId: tenant.users.INSTRUCTOR.id,
  });
  const idsSeenBy = async (tenant: TestTenant) =>
    (await database.forTenant(tenant.tenant.id).query((tx) => tx.course.findMany({ select: { id: true } }))).map((row) => row.id).sort();
  const kinds = (statements: string[]) => statements.map((sql) => (sql.startsWith('SELECT set_config') ? 'tenant' : sql.split(' ')[0]));

  it('sees only its tenant, one connection serving tenant after tenant; the tenant is sent only when it changes', async () => {
    sent.length = 0;
    const seen = [];
    for (const tenant of [a, a, b, a, c, c]) seen.push(await idsSeenBy(tenant));
    expect(seen).toEqual([a, a, b, a, c, c].map((tenant) => courses.get(tenant.tenant.id)));
    // No BEGIN or COMMIT; the tenant when the connection had another (or none), then the read.
    expect(kinds(sent)).toEqual(['tenant', 'SELECT', 'SELECT', 'tenant', 'SELECT', 'tenant', 'SELECT', 'tenant', 'SELECT', 'SELECT']);
  });

  it('keeps tenants apart when sessions of many tenants run at once on a small pool', async () => {
    // Three connections, 30 sessions of three tenants at once: connections change hands (and
    // tenants) in whatever order the sessions get them.
    const three = createDatabaseClient({ url: db.appUrl, poolSize: 3 });
    try {
      const shared = new Database(three.prisma, { sessions: three.sessions });
      const tenants = [a, b, c];
      const order = Array.from({ length: 30 }, (_, i) => tenants[(i * 7 + (i % 5)) % 3]!);
      const seen = await Promise.all(
        order.map(async (tenant) =>
          (await shared.forTenant(tenant.tenant.id).query((tx) => tx.course.findMany({ select: { id: true } })))
            .map((row) => row.id)
            .sort(),
        ),
      );
      expect(seen).toEqual(order.map((tenant) => courses.get(tenant.tenant.id)));
    } finally {
      await three.close();
    }
  });

  it('cannot write: PostgreSQL refuses it on a session connection, and nothing is written', async () => {
    const scope = database.forTenant(a.tenant.id);
    await expect(scope.query((tx) => tx.course.create({ data: newCourse(a) }))).rejects.toThrow(/read-only transaction/);
    // The connection still serves reads, with the right tenant.
    expect(await idsSeenBy(b)).toEqual(courses.get(b.tenant.id));
    expect(await idsSeenBy(a)).toEqual(courses.get(a.tenant.id));
  });

  it('refuses a unit of work inside a session, instead of writing outside a transaction', async () => {
    const scope = database.forTenant(a.tenant.id);
    await expect(scope.query(() => scope.run((tx) => tx.course.create({ data: newCourse(a) })))).rejects.toThrow(
      `A tenant:${a.tenant.id} unit of work cannot run inside a session:tenant:${a.tenant.id} one`,
    );
    expect(await idsSeenBy(a)).toEqual(courses.get(a.tenant.id));
  });

  it('inside a unit of work, joins it: what the request wrote, it reads, in the same transaction', async () => {
    const scope = database.forTenant(a.tenant.id);
    sent.length = 0;
    const [seen, id] = await scope.run(async (tx) => {
      const course = await tx.course.create({ data: newCourse(a), select: { id: true } });
      const found = await scope.query((inner) => inner.course.findMany({ where: { id: course.id }, select: { id: true } }));
      await tx.course.delete({ where: { id: course.id } });
      return [found, course.id] as const;
    });
    expect(seen).toEqual([{ id }]);
    expect(kinds(sent)).toEqual(['BEGIN', 'tenant', 'INSERT', 'SELECT', 'DELETE', 'COMMIT']);
  });

  it('is a unit of work like any other without a session pool', async () => {
    const plain = new Database(one.prisma);
    sent.length = 0;
    const seen = await plain.forTenant(b.tenant.id).query((tx) => tx.course.findMany({ select: { id: true } }));
    expect(seen.map((row) => row.id).sort()).toEqual(courses.get(b.tenant.id));
    expect(kinds(sent)).toEqual(['BEGIN', 'tenant', 'SELECT', 'COMMIT']);
  });
});
