import pg from 'pg';
import { createTenantWithEveryKindOfRow, openTestDatabase, type TestDatabase, type TestTenant } from '@academy/testing';
import { APP_DATABASE_ROLE } from '../src';

/**
 * Tries to reach tenant B's rows from tenant A's transactions, with raw SQL as the services'
 * role, on every tenant-owned table the catalog lists: the database alone must refuse.
 */
describe('tenant isolation in the database', () => {
  let db: TestDatabase;
  let a: TestTenant;
  let b: TestTenant;
  let tables: string[];
  let app: pg.Client;
  let owner: pg.Client;

  beforeAll(async () => {
    db = openTestDatabase();
    [a, b] = await Promise.all([createTenantWithEveryKindOfRow(db.database), createTenantWithEveryKindOfRow(db.database)]);
    owner = new pg.Client({ connectionString: db.ownerUrl });
    await owner.connect();
    const { rows } = await owner.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.columns
       WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY table_name`,
    );
    tables = rows.map((row) => row.table_name);
    app = new pg.Client({ connectionString: db.appUrl });
    await app.connect();
  });

  afterAll(async () => {
    await app?.end();
    await owner?.end();
    await db?.close();
  });

  /** Runs `work` as the services' role inside a transaction with the given settings, then rolls back. */
  async function as<T>(settings: { tenant?: string; bypass?: boolean }, work: () => Promise<T>): Promise<T> {
    await app.query('BEGIN');
    try {
      if (settings.tenant) await app.query(`SELECT set_config('app.tenant_id', $1, true)`, [settings.tenant]);
      if (settings.bypass) await app.query(`SELECT set_config('app.bypass_rls', 'on', true)`);
      return await work();
    } finally {
      await app.query('ROLLBACK');
    }
  }

  const count = async (table: string, where = 'true', params: unknown[] = []) =>
    Number((await app.query<{ n: string }>(`SELECT count(*) AS n FROM ${pg.escapeIdentifier(table)} WHERE ${where}`, params)).rows[0]!.n);

  it('covers every tenant-owned table, each with RLS enabled, forced and both policies', async () => {
    expect(tables).toEqual([
      'account_tokens',
      'api_keys',
      'assessment_attempts',
      'assessment_questions',
      'assessments',
      'audit_logs',
      'certificates',
      'communities',
      'community_memberships',
      'conocer_status_changes',
      'conocer_submissions',
      'coupons',
      'course_modules',
      'course_reviews',
      'courses',
      'credential_status_allocations',
      'dc3s',
      'email_deliveries',
      'enrollments',
      'evaluation_criteria',
      'evidence',
      'evidence_files',
      'files',
      'impact_aggregates',
      'impact_deltas',
      'impact_events',
      'impact_user_days',
      'lesson_completions',
      'lessons',
      'notification_preferences',
      'notifications',
      'orders',
      'outbox_events',
      'payment_events',
      'portfolios',
      'refresh_tokens',
      'saga_runs',
      'sessions',
      'users',
    ]);
    const { rows } = await owner.query<{ relname: string; enabled: boolean; forced: boolean; policies: string }>(
      `SELECT c.relname, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
              (SELECT string_agg(p.polname, ',' ORDER BY p.polname) FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relname = ANY($1::text[]) ORDER BY c.relname`,
      [[...tables, 'tenants']],
    );
    expect(rows).toHaveLength(tables.length + 1);
    for (const row of rows) {
      expect({ table: row.relname, enabled: row.enabled, forced: row.forced, policies: row.policies }).toEqual({
        table: row.relname,
        enabled: true,
        forced: true,
        policies: 'platform_bypass,tenant_isolation',
      });
    }
  });

  it('connects the services as a role that is neither superuser nor BYPASSRLS', async () => {
    const { rows } = await app.query<{ user: string; rolsuper: boolean; rolbypassrls: boolean }>(
      'SELECT current_user AS user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user',
    );
    expect(rows).toEqual([{ user: APP_DATABASE_ROLE, rolsuper: false, rolbypassrls: false }]);
  });

  it('gives both fixture tenants rows in every tenant-owned table (seen through the bypass)', async () => {
    await as({ bypass: true }, async () => {
      for (const table of tables) {
        expect({ table, a: (await count(table, 'tenant_id = $1', [a.tenant.id])) > 0 }).toEqual({ table, a: true });
        expect({ table, b: (await count(table, 'tenant_id = $1', [b.tenant.id])) > 0 }).toEqual({ table, b: true });
      }
    });
  });

  it('with tenant A set, returns no row of B and only rows of A', async () => {
    await as({ tenant: a.tenant.id }, async () => {
      for (const table of tables) {
        const all = await count(table);
        const own = await count(table, 'tenant_id = $1', [a.tenant.id]);
        expect({ table, ofB: await count(table, 'tenant_id = $1', [b.tenant.id]), others: all - own }).toEqual({
          table,
          ofB: 0,
          others: 0,
        });
      }
      expect(await count('tenants', 'id = $1', [b.tenant.id])).toBe(0);
      expect(await count('tenants')).toBe(1);
    });
  });

  it('with tenant A set, updates and deletes of B rows touch nothing', async () => {
    for (const table of tables) {
      await as({ tenant: a.tenant.id }, async () => {
        const updated = await app.query(`UPDATE ${pg.escapeIdentifier(table)} SET tenant_id = tenant_id WHERE tenant_id = $1`, [
          b.tenant.id,
        ]);
        const deleted =
          table === 'audit_logs' || table === 'conocer_status_changes'
            ? { rowCount: 0 } // append-only: the role may not delete at all (checked below)
            : await app.query(`DELETE FROM ${pg.escapeIdentifier(table)} WHERE tenant_id = $1`, [b.tenant.id]);
        expect({ table, updated: updated.rowCount, deleted: deleted.rowCount }).toEqual({ table, updated: 0, deleted: 0 });
      }).catch((error: pg.DatabaseError) => {
        // UPDATE on the append-only tables is refused outright.
        expect({ table, code: error.code }).toEqual({ table, code: '42501' });
        expect(['audit_logs', 'conocer_status_changes']).toContain(table);
      });
    }
    await as({ bypass: true }, async () => {
      for (const table of tables)
        expect({ table, left: (await count(table, 'tenant_id = $1', [b.tenant.id])) > 0 }).toEqual({ table, left: true });
    });
  });

  it('with tenant A set, refuses to insert a row of B or to move a row of A to B', async () => {
    for (const table of tables) {
      const { rows } = await as({ bypass: true }, () =>
        app.query<{ row: Record<string, unknown> }>(
          `SELECT to_jsonb(t) AS row FROM ${pg.escapeIdentifier(table)} t WHERE tenant_id = $1 LIMIT 1`,
          [b.tenant.id],
        ),
      );
      const copy = rows[0]!.row;
      const insert = as({ tenant: a.tenant.id }, () =>
        app.query(
          `INSERT INTO ${pg.escapeIdentifier(table)} SELECT * FROM jsonb_populate_record(NULL::${pg.escapeIdentifier(table)}, $1)`,
          [copy],
        ),
      );
      await expect(insert).rejects.toMatchObject({ code: '42501', message: expect.stringContaining('row-level security') });
    }
    for (const table of tables.filter((t) => t !== 'audit_logs' && t !== 'conocer_status_changes')) {
      const move = as({ tenant: a.tenant.id }, () =>
        app.query(`UPDATE ${pg.escapeIdentifier(table)} SET tenant_id = $2 WHERE tenant_id = $1`, [a.tenant.id, b.tenant.id]),
      );
      await expect(move).rejects.toMatchObject({ code: '42501' });
    }
  });

  it('refuses a reference from A to a row of B even though foreign key checks ignore RLS', async () => {
    const courseOfB = await as(
      { bypass: true },
      async () => (await app.query<{ id: string }>('SELECT id FROM courses WHERE tenant_id = $1 LIMIT 1', [b.tenant.id])).rows[0]!.id,
    );
    const enroll = as({ tenant: a.tenant.id }, () =>
      app.query(
        'INSERT INTO enrollments (id, tenant_id, course_id, learner_id, updated_at) VALUES (gen_random_uuid(), $1, $2, $3, now())',
        [a.tenant.id, courseOfB, a.users.LEARNER.id],
      ),
    );
    await expect(enroll).rejects.toMatchObject({ code: '23503' });
  });

  it('with no tenant set, tenant tables return nothing and accept nothing', async () => {
    await as({}, async () => {
      for (const table of tables) expect({ table, rows: await count(table) }).toEqual({ table, rows: 0 });
      expect(await count('tenants')).toBe(0);
    });
    const insert = as({}, () =>
      app.query(`INSERT INTO communities (id, tenant_id, name, updated_at) VALUES (gen_random_uuid(), $1, 'x', now())`, [a.tenant.id]),
    );
    await expect(insert).rejects.toMatchObject({ code: '42501' });
  });

  it('fails closed on a malformed tenant setting', async () => {
    await expect(as({ tenant: 'not-a-tenant' }, () => count('users'))).rejects.toMatchObject({ code: '22P02' });
    expect(() => db.database.forTenant("x' OR true --")).toThrow('is not a tenant id');
  });

  it('keeps the tenant setting inside its transaction: the pooled connection carries nothing after it', async () => {
    const single = openTestDatabase({ poolSize: 1 });
    try {
      const inside = await single.database.forTenant(a.tenant.id).run((tx) => tx.user.count());
      expect(inside).toBe(5);
      const after = await single.client.prisma.$queryRaw<{ tenant: string | null; users: bigint }[]>`
        SELECT NULLIF(current_setting('app.tenant_id', true), '') AS tenant, (SELECT count(*) FROM users) AS users`;
      expect(after).toEqual([{ tenant: null, users: 0n }]);
    } finally {
      await single.close();
    }
  });

  it('lets the platform bypass cross tenants only with an audit row written in the same transaction', async () => {
    const reason = `isolation test ${Date.now()}`;
    const seen = await db.database.asPlatform({ actorId: 'system:isolation-test', action: 'test.cross-tenant-read', reason }, (tx) =>
      tx.user.count({ where: { tenantId: { in: [a.tenant.id, b.tenant.id] } } }),
    );
    expect(seen).toBe(10);
    const audit = await db.database.asPlatform(
      { actorId: 'system:isolation-test', action: 'test.read-audit', reason: 'check the audit trail' },
      (tx) => tx.auditLog.findMany({ where: { reason }, select: { tenantId: true, actorId: true, action: true, metadata: true } }),
    );
    expect(audit).toEqual([
      { tenantId: null, actorId: 'system:isolation-test', action: 'test.cross-tenant-read', metadata: { bypass: true } },
    ]);
  });

  it('resolves a tenant by slug before any tenant is set, exposing only its public profile', async () => {
    const { rows } = await app.query('SELECT * FROM app_tenant_by_slug($1)', [b.tenant.slug]);
    expect(rows).toEqual([
      {
        id: b.tenant.id,
        slug: b.tenant.slug,
        name: b.tenant.name,
        tier: b.tenant.tier,
        created_at: b.tenant.createdAt,
        arbitrary_documents: false,
        status: 'ACTIVE',
      },
    ]);
    expect((await app.query('SELECT * FROM app_tenant_by_slug($1)', ['no-such-tenant'])).rows).toEqual([]);
    expect(await count('tenants')).toBe(0);
  });
});
