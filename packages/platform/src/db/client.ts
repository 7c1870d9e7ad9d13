import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client';

export interface DatabaseClientOptions {
  url: string;
  /** Connections in the pool (per process); the session pool has as many again. */
  poolSize?: number;
  /** Name shown in pg_stat_activity. */
  applicationName?: string;
  /** Called with every SQL statement sent (used to count statements per request). */
  onStatement?: (sql: string) => void;
}

export interface DatabaseClient {
  prisma: PrismaClient;
  pool: pg.Pool;
  /**
   * Read sessions (`Database` option `sessions`, `TenantScope.query`): a second Prisma Client on a
   * pool of its own whose connections are read-only and keep their tenant as a session setting.
   */
  sessions: PrismaClient;
  /** The read sessions' pool itself (`Database` option `sessionPool`: `TenantScope.sql` without Prisma Client). */
  sessionPool: pg.Pool;
  close(): Promise<void>;
}

/**
 * The statement a read session starts with (`Database`): its tenant as a setting of the
 * session, so that it stays with the connection. On the session pool only.
 */
export const SESSION_TENANT_SQL = "SELECT set_config('app.tenant_id', $1, false)";

/** A statement the session pool answers without sending it. */
function answered(command: string): pg.QueryResult {
  return { command, rowCount: 0, oid: 0, rows: [], fields: [] };
}

type Query = (...args: unknown[]) => Promise<unknown>;

/**
 * Every statement sent counted; on the session pool, also: no BEGIN, COMMIT or ROLLBACK sent
 * (a read session is statements on one read-only connection, each its own transaction: what a
 * transaction would add is two round trips), and the tenant setting sent only when the
 * connection does not have it already (the last one this connection was given and accepted).
 */
function instrument(pool: pg.Pool, onStatement: ((sql: string) => void) | undefined, session: boolean): void {
  if (!onStatement && !session) return;
  pool.on('connect', (client) => {
    const send = client.query.bind(client) as Query;
    let tenant: unknown = undefined;
    (client as unknown as { query: Query }).query = (...args: unknown[]) => {
      const first = args[0] as string | { text?: string; values?: unknown[] } | undefined;
      const text = typeof first === 'string' ? first : first?.text;
      if (session && (text === 'BEGIN' || text === 'COMMIT' || text === 'ROLLBACK')) return Promise.resolve(answered(text));
      if (session && text === SESSION_TENANT_SQL) {
        const wanted = typeof first === 'object' ? first.values?.[0] : undefined;
        if (wanted !== undefined && wanted === tenant) return Promise.resolve(answered('SELECT'));
        tenant = undefined;
        if (text) onStatement?.(text);
        return send(...args).then((result) => {
          tenant = wanted;
          return result;
        });
      }
      if (text) onStatement?.(text);
      return send(...args);
    };
  });
}

function pool(options: DatabaseClientOptions, extra: pg.PoolConfig = {}): pg.Pool {
  const created = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    application_name: options.applicationName ?? 'academy',
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    ...extra,
  });
  created.on('error', () => {
    // An idle client lost its connection (database restart); the pool replaces it on demand.
  });
  return created;
}

/**
 * Prisma Client on @prisma/adapter-pg: the query compiler is WASM, so nothing but node-postgres
 * talks to the database. The pools are ours so that they can be observed and closed.
 */
export function createDatabaseClient(options: DatabaseClientOptions): DatabaseClient {
  const primary = pool(options);
  instrument(primary, options.onStatement, false);
  // PostgreSQL itself refuses a write on a session connection. Its statements (named, prepared
  // once per connection) run on one generic plan: the hot reads are by id or by learner, for
  // which a plan made for the values is no better, and PostgreSQL kept making one for each run
  // (the dashboard's enrollments read: 0.53 ms planning for 0.36 ms running; PostgreSQL's CPU
  // per dashboard 2.36 -> 1.65 ms with this, docs/benchmarks.md).
  const sessionPool = pool(options, {
    options: '-c default_transaction_read_only=on -c statement_timeout=15000 -c plan_cache_mode=force_generic_plan',
  });
  instrument(sessionPool, options.onStatement, true);
  const prisma = new PrismaClient({ adapter: new PrismaPg(primary) });
  const sessions = new PrismaClient({ adapter: new PrismaPg(sessionPool) });
  return {
    prisma,
    pool: primary,
    sessions,
    sessionPool,
    async close() {
      await Promise.all([prisma.$disconnect(), sessions.$disconnect()]);
      await Promise.all([primary.end().catch(() => undefined), sessionPool.end().catch(() => undefined)]);
    },
  };
}

/**
 * Refuses a connection whose role would see every tenant (a superuser, or BYPASSRLS): the
 * services' URLs given by operators (a replica's, say) must be the services' role.
 */
export async function assertRowLevelSecurity(pool: pg.Pool, setting: string): Promise<void> {
  const { rows } = await pool.query<{ role: string; bypasses: boolean }>(
    'SELECT rolname AS role, rolsuper OR rolbypassrls AS bypasses FROM pg_roles WHERE rolname = current_user',
  );
  if (rows[0]?.bypasses) throw new Error(`${setting}: its role ${rows[0].role} bypasses row-level security; use the services' role`);
}
