import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { readMigrations, type MigrationFile } from './migration-files';
import { firstCodeLine, lineAt, splitStatements } from './sql-statements';

/** The advisory lock `prisma migrate deploy` takes, so our runner and Prisma's exclude each other. */
const PRISMA_MIGRATE_LOCK = 72707369;

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface MigrateOptions {
  /** Owner connection (the role that owns the schema), never the services' role. */
  url: string;
  dir: string;
  logger?: MigrationLogger;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly migration?: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

const silent: MigrationLogger = { info: () => undefined, warn: () => undefined };

/**
 * Applies pending migrations in order, each in its own transaction, recording them in
 * `_prisma_migrations` exactly as `prisma migrate deploy` does. Safe to run at every start
 * and from several processes at once (advisory lock); a failing migration is rolled back
 * whole and named with its file and line.
 */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const logger = options.logger ?? silent;
  const migrations = await readMigrations(options.dir);
  await ensureDatabaseExists(options.url, logger);
  const client = new pg.Client({ connectionString: options.url, application_name: 'academy-migrator' });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK]);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const applied = await appliedMigrations(client);
      const failed = [...applied.values()].filter((row) => row.finished_at === null && row.rolled_back_at === null);
      if (failed.length > 0) {
        throw new MigrationError(
          `Migration ${failed[0]!.migration_name} is recorded as failed in _prisma_migrations; resolve it before migrating`,
          failed[0]!.migration_name,
        );
      }
      const known = new Set(migrations.map((migration) => migration.name));
      for (const name of applied.keys()) {
        if (!known.has(name)) logger.warn(`migration ${name} is applied but has no folder in ${options.dir}`);
      }
      const result: MigrateResult = { applied: [], alreadyApplied: 0 };
      for (const migration of migrations) {
        const row = applied.get(migration.name);
        if (row) {
          if (row.checksum !== migration.checksum) {
            throw new MigrationError(
              `Migration ${migration.name} was modified after it was applied (${migration.file}); write a new migration instead`,
              migration.name,
              migration.file,
            );
          }
          result.alreadyApplied += 1;
          continue;
        }
        await applyOne(client, migration);
        logger.info(`applied ${migration.name}`);
        result.applied.push(migration.name);
      }
      return result;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK]).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

async function appliedMigrations(client: pg.Client): Promise<Map<string, MigrationRow>> {
  const { rows } = await client.query<MigrationRow>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL ORDER BY started_at',
  );
  return new Map(rows.map((row) => [row.migration_name, row]));
}

async function applyOne(client: pg.Client, migration: MigrationFile): Promise<void> {
  const id = randomUUID();
  await client.query('BEGIN');
  try {
    await client.query('INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())', [
      id,
      migration.checksum,
      migration.name,
    ]);
    // Statement by statement, in the one transaction: the same effect as sending the script
    // whole, and a failure can be pinned to its line.
    for (const statement of splitStatements(migration.sql)) {
      try {
        await client.query(statement.text);
      } catch (error) {
        const cause = error as pg.DatabaseError;
        const line = cause.position
          ? lineAt(migration.sql, statement.offset + Number(cause.position) - 1)
          : firstCodeLine(migration.sql, statement);
        throw new MigrationError(
          `Migration ${migration.name} failed and was rolled back (${migration.file}:${line}): ${cause.message}`,
          migration.name,
          migration.file,
        );
      }
    }
    await client.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** `CREATE DATABASE` when the URL names one that does not exist yet, as `prisma migrate deploy` does. */
async function ensureDatabaseExists(url: string, logger: MigrationLogger): Promise<void> {
  const probe = new pg.Client({ connectionString: url });
  try {
    await probe.connect();
    return;
  } catch (error) {
    if ((error as pg.DatabaseError).code !== '3D000') throw error;
  } finally {
    await probe.end().catch(() => undefined);
  }
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.slice(1));
  target.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: target.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)}`);
    logger.info(`created database ${database}`);
  } catch (error) {
    if ((error as pg.DatabaseError).code !== '42P04') throw error;
  } finally {
    await admin.end().catch(() => undefined);
  }
}
