import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client';

export interface DatabaseClientOptions {
  url: string;
  /** Connections in the pool (per process). */
  poolSize?: number;
  /** Name shown in pg_stat_activity. */
  applicationName?: string;
  /** Called with every SQL statement sent (used to count statements per request). */
  onStatement?: (sql: string) => void;
}

export interface DatabaseClient {
  prisma: PrismaClient;
  pool: pg.Pool;
  close(): Promise<void>;
}

/**
 * Prisma Client on @prisma/adapter-pg: the query compiler is WASM, so nothing but node-postgres
 * talks to the database. The pool is ours so that it can be observed and closed.
 */
export function createDatabaseClient(options: DatabaseClientOptions): DatabaseClient {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    application_name: options.applicationName ?? 'academy',
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
  });
  pool.on('error', () => {
    // An idle client lost its connection (database restart); the pool replaces it on demand.
  });
  if (options.onStatement) {
    const onStatement = options.onStatement;
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        const first = args[0];
        const text = typeof first === 'string' ? first : (first as { text?: string } | undefined)?.text;
        if (text) onStatement(text);
        return query(...args);
      };
    });
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    pool,
    async close() {
      await prisma.$disconnect();
      await pool.end().catch(() => undefined);
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
