import { createTenant, openTestDatabase, type TestDatabase, type TestTenant } from '@academy/testing';
import { createDatabaseClient, Database, uniqueViolation, UpstreamUnavailableError } from '../src';

/**
 * `TenantScope.unit`: a unit of work of SQL statements sent through node-postgres on the
 * primary's pool, without Prisma Client (the hot writes). What is checked: its statements commit
 * together or not at all; it writes and sees its own tenant's rows only; it leaves nothing on the
 * connection and costs one round trip besides its statements and COMMIT; it joins an enclosing
 * unit (a Prisma Client one, or its own kind) and the scope's reads inside it see what it wrote;
 * a Prisma Client unit cannot join it; a database out of reach is UPSTREAM_UNAVAILABLE.
 */
describe('units of work sent through node-postgres (TenantScope.unit)', () => {
  const sent: string[] = [];
  let db: TestDatabase;
  let one: ReturnType<typeof createDatabaseClient>;
  let database: Database;
  let a: TestTenant;
  let b: TestTenant;

  beforeAll(async () => {
    db = openTestDatabase();
    // One connection in each pool: every unit of every tenant takes the same connection.
    one = createDatabaseClient({ url: db.appUrl, poolSize: 1, onStatement: (sql) => sent.push(sql) });
    database = new Database(one.prisma, { pool: one.pool, sessions: one.sessions, sessionPool: one.sessionPool });
    a = await createTenant(db.database);
    b = await createTenant(db.database);
  });
  afterAll(async () => {
    await one?.close();
    await db?.close();
  });

  const allocate = `INSERT INTO credential_status_allocations (tenant_id, next_index) VALUES ($1::uuid, $2) RETURNING next_index AS "nextIndex"`;
  /** The tenant's allocation row as its own Prisma Client unit of work reads it (null: none). */
  const allocation = (tenant: TestTenant) =>
    db.database
      .forTenant(tenant.tenant.id)
      .run((tx) => tx.$queryRaw<{ next_index: number }[]>`SELECT next_index FROM credential_status_allocations`)
      .then((rows) => rows[0]?.next_index ?? null);
  const clear = (tenant: TestTenant) =>
    db.database.forTenant(tenant.tenant.id).run((tx) => tx.$executeRaw`DELETE FROM credential_status_allocations`);

  beforeEach(async () => {
    await clear(a);
    await clear(b);
  });

  it('commits its statements together, and none of them when it throws', async () => {
    const scope = database.forTenant(a.tenant.id);
    await expect(
      scope.unit(async (statement) => {
        await statement(allocate, [a.tenant.id, 7]);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await allocation(a)).toBeNull();
    const written = await scope.unit(async (statement) => {
      await statement(allocate, [a.tenant.id, 7]);
      return statement<{ nextIndex: number }>(
        'UPDATE credential_status_allocations SET next_index = next_index + 1 RETURNING next_index AS "nextIndex"',
      );
    });
    expect(written).toEqual([{ nextIndex: 8 }]);
    expect(await allocation(a)).toBe(8);
  });

  it("writes and sees its own tenant's rows only", async () => {
    await database.forTenant(b.tenant.id).unit((statement) => statement(allocate, [b.tenant.id, 3]));
    expect(await allocation(b)).toBe(3);
    // Another tenant's row: the policy refuses to write it, and does not show it.
    await expect(database.forTenant(a.tenant.id).unit((statement) => statement(allocate, [b.tenant.id, 5]))).rejects.toMatchObject({
      code: '42501',
    });
    const seen = await database
      .forTenant(a.tenant.id)
      .unit((statement) => statement<{ count: number }>('SELECT count(*)::int AS count FROM credential_status_allocations'));
    expect(seen).toEqual([{ count: 0 }]);
    const changed = await database
      .forTenant(a.tenant.id)
      .unit((statement) =>
        statement('UPDATE credential_status_allocations SET next_index = 99 WHERE tenant_id = $1::uuid RETURNING 1', [b.tenant.id]),
      );
    expect(changed).toEqual([]);
    expect(await allocation(b)).toBe(3);
  });

  it('sends BEGIN with the tenant in one round trip, then its statements and COMMIT, and leaves nothing on the connection', async () => {
    // The same (only) connection, before and after the unit: no tenant, the server's timeouts.
    const settings = async () =>
      (
        await one.pool.query<{ tenant: string | null; timeout: string; idle: string }>(
          "SELECT NULLIF(current_setting('app.tenant_id', true), '') AS tenant, current_setting('statement_timeout') AS timeout, current_setting('idle_in_transaction_session_timeout') AS idle",
        )
      ).rows;
    const before = await settings();
    expect(before).toEqual([{ tenant: null, timeout: expect.any(String), idle: expect.any(String) }]);
    const read =
      "SELECT current_setting('app.tenant_id') AS tenant, current_setting('statement_timeout') AS timeout, current_setting('idle_in_transaction_session_timeout') AS idle";
    sent.length = 0;
    const inside = await database.forTenant(a.tenant.id).unit((statement) => statement(read));
    expect(inside).toEqual([{ tenant: a.tenant.id, timeout: '15s', idle: '15s' }]);
    expect(sent).toEqual([expect.stringMatching(/^BEGIN; SELECT set_config\('app\.tenant_id', '[0-9a-f-]{36}', true\), /), read, 'COMMIT']);
    expect(await settings()).toEqual(before);
  });

  it('joins an enclosing unit of work: a Prisma Client one, or its own kind, and the reads inside see what it wrote', async () => {
    const scope = database.forTenant(a.tenant.id);
    await expect(
      scope.run(async () => {
        await scope.unit((statement) => statement(allocate, [a.tenant.id, 4]));
        throw new Error('the enclosing unit fails');
      }),
    ).rejects.toThrow('the enclosing unit fails');
    expect(await allocation(a)).toBeNull();
    const read = await scope.unit(async () => {
      await scope.unit((statement) => statement(allocate, [a.tenant.id, 4]));
      return scope.sql<{ nextIndex: number }>('SELECT next_index AS "nextIndex" FROM credential_status_allocations');
    });
    expect(read).toEqual([{ nextIndex: 4 }]);
  });

  it('is not joined by a Prisma Client unit of work, nor by another tenant', async () => {
    const scope = database.forTenant(a.tenant.id);
    await expect(scope.unit(() => scope.run((tx) => tx.course.count()))).rejects.toThrow(
      /cannot join a tenant:[0-9a-f-]+ one sent through node-postgres/,
    );
    await expect(scope.unit(() => database.forTenant(b.tenant.id).unit((statement) => statement('SELECT 1')))).rejects.toThrow(
      /cannot run inside/,
    );
    // The connection is usable afterwards (rolled back, released).
    expect(await scope.unit((statement) => statement<{ one: number }>('SELECT 1 AS one'))).toEqual([{ one: 1 }]);
  });

  it("refuses a statement sent after its unit ended (the connection is the pool's again)", async () => {
    const scope = database.forTenant(a.tenant.id);
    let late: ((text: string) => Promise<unknown>) | undefined;
    await scope.unit(async (statement) => {
      late = (text) => statement(text);
    });
    await expect(late!('SELECT 1')).rejects.toThrow(/unit of work has ended/);
    // Joined: the statement belongs to the enclosing unit, and ends with it.
    let joined: ((text: string) => Promise<unknown>) | undefined;
    await scope.unit(() =>
      scope.unit(async (statement) => {
        joined = (text) => statement(text);
      }),
    );
    await expect(joined!('SELECT 1')).rejects.toThrow(/unit of work has ended/);
  });

  it('tells a unique violation, sent directly or through a Prisma Client unit it joined', async () => {
    const scope = database.forTenant(a.tenant.id);
    await scope.unit((statement) => statement(allocate, [a.tenant.id, 1]));
    const direct = await scope.unit((statement) => statement(allocate, [a.tenant.id, 1])).catch((error: unknown) => error);
    const joined = await scope.run(() => scope.unit((statement) => statement(allocate, [a.tenant.id, 1]))).catch((error: unknown) => error);
    expect([uniqueViolation(direct), uniqueViolation(joined), uniqueViolation(new Error('other'))]).toEqual([true, true, false]);
  });

  it('answers UPSTREAM_UNAVAILABLE when the database is out of reach', async () => {
    const unreachable = createDatabaseClient({ url: 'postgresql://academy@127.0.0.1:1/academy', poolSize: 1 });
    try {
      const scope = new Database(unreachable.prisma, { pool: unreachable.pool }).forTenant(a.tenant.id);
      const failure = await scope.unit((statement) => statement('SELECT 1')).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(UpstreamUnavailableError);
      expect(failure).toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
    } finally {
      await unreachable.close();
    }
  });
});
