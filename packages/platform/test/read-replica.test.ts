import { randomBytes } from 'node:crypto';
import { createTenant, openTestDatabase, testEnvironment, type TestDatabase, type TestTenant } from '@academy/testing';
import { createDatabaseClient, Database, UpstreamUnavailableError, type Tx } from '../src';

/**
 * Where `TenantScope.read` goes. A second pool on the run's database stands in for the replica
 * here (gateway/test/scale-out.test.ts has a real streaming one): what is checked is which pool
 * each statement takes, what a read inside a unit of work sees, and the fallback to the primary.
 */
describe('reads that tolerate lag (TenantScope.read)', () => {
  const sent = { primary: 0, replica: 0 };
  let db: TestDatabase;
  let a: TestTenant;
  let b: TestTenant;

  beforeAll(async () => {
    db = openTestDatabase({
      onStatement: () => (sent.primary += 1),
      readUrl: testEnvironment().TEST_APP_DATABASE_URL,
      onReadStatement: () => (sent.replica += 1),
    });
    [a, b] = await Promise.all([createTenant(db.database), createTenant(db.database)]);
  });
  afterAll(() => db?.close());

  const newCourse = (tenant: TestTenant) => ({
    tenantId: tenant.tenant.id,
    slug: `c-${randomBytes(4).toString('hex')}`,
    title: 'Curso',
    description: 'Un curso',
    priceCents: 0,
    instructorId: tenant.users.INSTRUCTOR.id,
  });
  const counting = async <T>(work: () => Promise<T>) => {
    sent.primary = 0;
    sent.replica = 0;
    const value = await work();
    return { value, sent: { ...sent } };
  };

  it('runs on the replica, with the tenant set for the policies', async () => {
    const course = await db.database.forTenant(a.tenant.id).run((tx) => tx.course.create({ data: newCourse(a) }));
    const read = await counting(() => db.database.forTenant(a.tenant.id).read((tx) => tx.course.findMany({ select: { id: true } })));
    expect(read.value).toEqual([{ id: course.id }]);
    expect(read.sent.primary).toBe(0);
    expect(read.sent.replica).toBeGreaterThan(0);
    // Another tenant's read on the replica sees none of it.
    expect(await db.database.forTenant(b.tenant.id).read((tx) => tx.course.findMany({ where: { id: course.id } }))).toEqual([]);
  });

  it('inside a unit of work, joins it: what the request wrote, it reads', async () => {
    const scope = db.database.forTenant(a.tenant.id);
    const read = await counting(() =>
      scope.run(async (tx) => {
        const course = await tx.course.create({ data: newCourse(a) });
        const seen = await scope.read((inner) => inner.course.findMany({ where: { id: course.id }, select: { id: true } }));
        await tx.course.delete({ where: { id: course.id } });
        return [seen, course.id] as const;
      }),
    );
    expect(read.value[0]).toEqual([{ id: read.value[1] }]);
    expect(read.sent.replica).toBe(0);
  });

  it('refuses a write inside a read, instead of sending it to a read-only server or quietly to the primary', async () => {
    const scope = db.database.forTenant(a.tenant.id);
    const write = counting(() => scope.read(() => scope.run((tx) => tx.course.create({ data: newCourse(a) }))));
    await expect(write).rejects.toThrow(`A tenant:${a.tenant.id} unit of work cannot run inside a replica:tenant:${a.tenant.id} one`);
    expect(sent.primary).toBe(0);
  });

  it('reads from the primary when the replica cannot be reached, and says so once per pause', async () => {
    const unreachable = createDatabaseClient({ url: 'postgresql://academy_app:x@127.0.0.1:9/academy', poolSize: 1 });
    const primary = createDatabaseClient({ url: db.appUrl, poolSize: 2 });
    const failures: unknown[] = [];
    const database = new Database(primary.prisma, { replica: unreachable.prisma, onReplicaError: (error) => failures.push(error) });
    try {
      const course = await database.forTenant(a.tenant.id).run((tx) => tx.course.create({ data: newCourse(a) }));
      for (let i = 0; i < 3; i += 1)
        expect(
          await database.forTenant(a.tenant.id).read((tx) => tx.course.findMany({ where: { id: course.id }, select: { id: true } })),
        ).toEqual([{ id: course.id }]);
      // The first read found the replica out of reach; the next went straight to the primary.
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject({ code: 'P1001' });
      // A failure of the read itself is not the replica's: it is the answer.
      await expect(database.forTenant(a.tenant.id).read((tx) => tx.$queryRaw`SELECT 1/0`)).rejects.toThrow(/division by zero/);
    } finally {
      await unreachable.close();
      await primary.close();
    }
  });

  it("readSql: one statement on the replica when there is one, the tenant's rows only", async () => {
    const course = await db.database.forTenant(a.tenant.id).run((tx) => tx.course.create({ data: newCourse(a) }));
    const text = 'SELECT id FROM courses WHERE id = $1';
    const read = await counting(() => db.database.forTenant(a.tenant.id).readSql<{ id: string }>(text, [course.id]));
    expect(read.value).toEqual([{ id: course.id }]);
    expect(read.sent.primary).toBe(0);
    expect(read.sent.replica).toBeGreaterThan(0);
    expect(await db.database.forTenant(b.tenant.id).readSql(text, [course.id])).toEqual([]);
  });

  it('readSql without a replica: on a read session of the primary, the tenant set for it first', async () => {
    const statements: string[] = [];
    const primaryOnly = openTestDatabase({ onStatement: (sql) => statements.push(sql) });
    try {
      const course = await primaryOnly.database.forTenant(a.tenant.id).run((tx) => tx.course.create({ data: newCourse(a) }));
      const text = 'SELECT id FROM courses WHERE id = $1';
      statements.length = 0;
      expect(await primaryOnly.database.forTenant(a.tenant.id).readSql(text, [course.id])).toEqual([{ id: course.id }]);
      // No transaction around it: the session's tenant (when the connection had another), then the read.
      expect(statements.filter((sql) => sql !== "SELECT set_config('app.tenant_id', $1, false)")).toEqual([text]);
      // Another tenant's session sees none of it.
      expect(await primaryOnly.database.forTenant(b.tenant.id).readSql(text, [course.id])).toEqual([]);
    } finally {
      await primaryOnly.close();
    }
  });

  it('answers UPSTREAM_UNAVAILABLE (try again) when the database cannot be reached, whatever the kind of work', async () => {
    const unreachable = createDatabaseClient({ url: 'postgresql://academy_app:x@127.0.0.1:9/academy', poolSize: 1 });
    const database = new Database(unreachable.prisma, { sessions: unreachable.prisma });
    const scope = database.forTenant(a.tenant.id);
    const select = (tx: Tx) => tx.course.findMany({ select: { id: true } });
    try {
      for (const work of [() => scope.run(select), () => scope.query(select), () => scope.read(select)]) {
        const failure = await work().then(
          () => null,
          (error: unknown) => error,
        );
        expect(failure).toBeInstanceOf(UpstreamUnavailableError);
        expect(failure).toMatchObject({ message: 'The database is temporarily unavailable', extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
        // What failed stays with it, for the logs.
        expect((failure as Error).cause).toMatchObject({ code: 'P1001' });
      }
    } finally {
      await unreachable.close();
    }
  });
});
