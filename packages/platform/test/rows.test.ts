import { randomBytes } from 'node:crypto';
import { createTenantWithEveryKindOfRow, openTestDatabase, type TestDatabase, type TestTenant } from '@academy/testing';
import { createDatabaseClient, Database, isUuid, type Tx } from '../src';

/**
 * `TenantScope.rows` and `TenantScope.sql`: one read statement sent through node-postgres on a
 * read session connection, without Prisma Client (the hot reads). What is checked: every model
 * it can read comes back as the very objects Prisma Client returns; each tenant sees its own rows
 * only, even when one connection serves tenant after tenant; inside a unit of work it reads what
 * the unit wrote; nothing can be written; and what it cannot read exactly is refused.
 */
describe('rows read as one statement (TenantScope.rows, TenantScope.sql)', () => {
  const sent: string[] = [];
  let db: TestDatabase;
  let one: ReturnType<typeof createDatabaseClient>;
  let database: Database;
  let a: TestTenant;
  let b: TestTenant;

  beforeAll(async () => {
    db = openTestDatabase();
    // One connection in each pool: every read of every tenant takes the same connection.
    one = createDatabaseClient({ url: db.appUrl, poolSize: 1, onStatement: (sql) => sent.push(sql) });
    database = new Database(one.prisma, { sessions: one.sessions, sessionPool: one.sessionPool });
    a = await createTenantWithEveryKindOfRow(db.database);
    b = await createTenantWithEveryKindOfRow(db.database);
  });
  afterAll(async () => {
    await one?.close();
    await db?.close();
  });

  /** Models with an id and a tenant that can be read as rows (none of their fields one JSON cannot carry exactly). */
  const models = () =>
    database.tables.models.filter((model) => database.tables.of(model).has('id') && database.tables.of(model).has('tenantId'));
  const delegate = (tx: Tx, model: string) =>
    (tx as unknown as Record<string, { findMany(args: unknown): Promise<{ id: string }[]> }>)[model[0]!.toLowerCase() + model.slice(1)]!;
  const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((x, y) => (x.id < y.id ? -1 : 1));

  it('gives every model the very objects Prisma Client gives, for its own tenant only', async () => {
    expect(models().length).toBeGreaterThan(25);
    const compared: string[] = [];
    for (const model of models()) {
      const found = await Promise.all(
        [a, b].map((tenant) => db.database.forTenant(tenant.tenant.id).run((tx) => delegate(tx, model).findMany({}))),
      );
      if (found[0]!.length === 0) continue;
      const ids = found.flat().map((row) => row.id);
      // A few models' ids are not uuids (a payment provider's event id).
      const uuid = ids.every(isUuid);
      // Asked with both tenants' ids, each tenant's scope gets its own rows, as Prisma Client reads them.
      for (const [index, tenant] of [a, b].entries()) {
        const rows = (await database.forTenant(tenant.tenant.id).rows(model, 'id', ids, { uuid })) as unknown as { id: string }[];
        expect({ model, rows: byId(rows) }).toEqual({ model, rows: byId(found[index]!) });
      }
      compared.push(model);
    }
    expect(compared).toEqual(
      expect.arrayContaining(['User', 'Course', 'Enrollment', 'Certificate', 'ConocerSubmission', 'Order', 'Notification']),
    );
  });

  it('sends the tenant only when the connection last had another, and no BEGIN or COMMIT', async () => {
    const course = (tenant: TestTenant) =>
      database.forTenant(tenant.tenant.id).sql<{ count: number }>('SELECT count(*)::int AS count FROM courses');
    const own = async (tenant: TestTenant) => await db.database.forTenant(tenant.tenant.id).run((tx) => tx.course.count());
    const expected = { a: await own(a), b: await own(b) };
    await course(b);
    sent.length = 0;
    const seen = [];
    for (const tenant of [a, a, b, a]) seen.push((await course(tenant))[0]!.count);
    expect(seen).toEqual([expected.a, expected.a, expected.b, expected.a]);
    expect(sent.map((sql) => (sql.startsWith('SELECT set_config') ? 'tenant' : sql))).toEqual([
      'tenant',
      'SELECT count(*)::int AS count FROM courses',
      'SELECT count(*)::int AS count FROM courses',
      'tenant',
      'SELECT count(*)::int AS count FROM courses',
      'tenant',
      'SELECT count(*)::int AS count FROM courses',
    ]);
  });

  it('keeps tenants apart when reads of many tenants run at once on a small pool', async () => {
    const three = createDatabaseClient({ url: db.appUrl, poolSize: 3 });
    try {
      const shared = new Database(three.prisma, { sessions: three.sessions, sessionPool: three.sessionPool });
      const usersOf = async (tenant: TestTenant) =>
        (await db.database.forTenant(tenant.tenant.id).run((tx) => tx.user.findMany({ select: { id: true } }))).map((row) => row.id).sort();
      const expected = new Map([
        [a, await usersOf(a)],
        [b, await usersOf(b)],
      ]);
      const everyone = [...expected.values()].flat();
      // Connections change hands (and tenants) in whatever order the reads get them; each asks for every tenant's users.
      const order = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? b : a));
      const seen = await Promise.all(
        order.map(async (tenant) => (await shared.forTenant(tenant.tenant.id).rows('User', 'id', everyone)).map((row) => row.id).sort()),
      );
      expect(seen).toEqual(order.map((tenant) => expected.get(tenant)));
    } finally {
      await three.close();
    }
  });

  it('orders as asked, and matches nothing for what cannot be an id, without asking the database', async () => {
    const scope = database.forTenant(a.tenant.id);
    const learner = a.users.LEARNER.id;
    const expected = await db.database
      .forTenant(a.tenant.id)
      .run((tx) => tx.enrollment.findMany({ where: { learnerId: learner }, orderBy: [{ enrolledAt: 'desc' }, { id: 'desc' }] }));
    expect(
      await scope.rows('Enrollment', 'learnerId', [learner], {
        orderBy: [
          ['enrolledAt', 'desc'],
          ['id', 'desc'],
        ],
      }),
    ).toEqual(expected);
    // With another field to match: the learner's enrollment in the courses asked, nobody else's.
    const courseIds = expected.map((enrollment) => enrollment.courseId);
    await db.database
      .forTenant(a.tenant.id)
      .run((tx) => tx.enrollment.create({ data: { tenantId: a.tenant.id, courseId: courseIds[0]!, learnerId: a.users.INSTRUCTOR.id } }));
    expect(await scope.rows('Enrollment', 'courseId', courseIds, { where: { learnerId: learner }, orderBy: [['id', 'asc']] })).toEqual(
      [...expected].sort((x, y) => (x.id < y.id ? -1 : 1)),
    );
    sent.length = 0;
    expect(await scope.rows('Course', 'id', ['not-an-id', "' OR 1=1 --"])).toEqual([]);
    expect(sent).toEqual([]);
  });

  it('inside a unit of work, joins it: what the unit wrote, it reads', async () => {
    const scope = database.forTenant(a.tenant.id);
    const [found, created] = await scope.run(async (tx) => {
      const course = await tx.course.create({
        data: {
          tenantId: a.tenant.id,
          slug: `c-${randomBytes(4).toString('hex')}`,
          title: 'Curso',
          description: 'Un curso',
          priceCents: 0,
          instructorId: a.users.INSTRUCTOR.id,
        },
      });
      const rows = await scope.rows('Course', 'id', [course.id]);
      await tx.course.delete({ where: { id: course.id } });
      return [rows, course] as const;
    });
    expect(found).toEqual([created]);
  });

  it('cannot write, and refuses a model JSON cannot carry exactly', async () => {
    const scope = database.forTenant(a.tenant.id);
    await expect(scope.sql("UPDATE courses SET title = 'x'")).rejects.toThrow(/read-only transaction/);
    expect((await scope.sql<{ title: string }>("SELECT title FROM courses WHERE title = 'x'")).length).toBe(0);
    await expect(scope.rows('OutboxEvent', 'id', [a.tenant.id])).rejects.toThrow(/OutboxEvent cannot be read as rows/);
  });

  it('prepares each statement once per connection and plans it once (a generic plan), for every tenant', async () => {
    const text = 'SELECT count(*)::int AS count FROM lessons WHERE tenant_id = $1';
    const count = (tenant: TestTenant) => database.forTenant(tenant.tenant.id).sql<{ count: number }>(text, [tenant.tenant.id]);
    const own = async (tenant: TestTenant) => await db.database.forTenant(tenant.tenant.id).run((tx) => tx.lesson.count());
    const seen = [];
    for (const tenant of [a, b, a, b]) seen.push((await count(tenant))[0]!.count);
    expect(seen).toEqual([await own(a), await own(b), await own(a), await own(b)]);
    // The pool's only connection: the statement is prepared there once, and has run four times,
    // each time on its one generic plan (the read sessions' plan_cache_mode): none planned again
    // for its values, as PostgreSQL otherwise does at least five times, and for good when a
    // custom plan looks cheaper (it did for the dashboard's reads: planning cost more than running).
    const { rows } = await one.sessionPool.query<{ statements: number; generic: number; custom: number }>(
      'SELECT count(*)::int AS statements, sum(generic_plans)::int AS generic, sum(custom_plans)::int AS custom FROM pg_prepared_statements WHERE statement = $1',
      [text],
    );
    expect(rows).toEqual([{ statements: 1, generic: 4, custom: 0 }]);
    // Behind a pooler that does not keep them (preparedStatements: false), nothing is prepared.
    const unnamed = 'SELECT count(*)::int AS count FROM courses WHERE tenant_id = $1';
    const plain = new Database(one.prisma, { sessions: one.sessions, sessionPool: one.sessionPool, preparedStatements: false });
    await plain.forTenant(a.tenant.id).sql(unnamed, [a.tenant.id]);
    const after = await one.sessionPool.query('SELECT count(*)::int AS statements FROM pg_prepared_statements WHERE statement = $1', [
      unnamed,
    ]);
    expect(after.rows).toEqual([{ statements: 0 }]);
  });
});
