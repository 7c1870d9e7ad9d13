import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { testEnvironment } from '@academy/testing';
import { catalogSnapshot, checksumOf, migrate, MigrationError, MIGRATIONS_DIR, readMigrations, withScratchDatabase } from '../src';

const owner = () => testEnvironment().DATABASE_URL;

async function rows<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const migrationRows = (url: string) =>
  rows<{
    migration_name: string;
    checksum: string;
    finished: boolean;
    applied_steps_count: number;
    logs: string | null;
    rolled_back_at: Date | null;
  }>(
    url,
    `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, applied_steps_count, logs, rolled_back_at
     FROM "_prisma_migrations" ORDER BY migration_name`,
  );

describe('migration runner', () => {
  let workDir: string;

  beforeEach(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'academy-migrations-'));
  });
  afterEach(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('applies every migration once and records it as `prisma migrate deploy` does', async () => {
    const files = await readMigrations(MIGRATIONS_DIR);
    await withScratchDatabase(owner(), 'runner', async (url) => {
      const first = await migrate({ url, dir: MIGRATIONS_DIR });
      expect(first).toEqual({ applied: files.map((f) => f.name), alreadyApplied: 0 });
      expect(await migrationRows(url)).toEqual(
        files.map((file) => ({
          migration_name: file.name,
          checksum: checksumOf(file.sql),
          finished: true,
          applied_steps_count: 1,
          logs: null,
          rolled_back_at: null,
        })),
      );
    });
  });

  it('changes nothing when applied a second time', async () => {
    await withScratchDatabase(owner(), 'twice', async (url) => {
      await migrate({ url, dir: MIGRATIONS_DIR });
      const catalogBefore = await catalogSnapshot(url);
      const recordsBefore = await rows(url, 'SELECT * FROM "_prisma_migrations" ORDER BY migration_name');
      const second = await migrate({ url, dir: MIGRATIONS_DIR });
      expect(second).toEqual({ applied: [], alreadyApplied: (await readMigrations(MIGRATIONS_DIR)).length });
      expect(await catalogSnapshot(url)).toEqual(catalogBefore);
      expect(await rows(url, 'SELECT * FROM "_prisma_migrations" ORDER BY migration_name')).toEqual(recordsBefore);
    });
  });

  it('applies each migration once when several processes start at the same time', async () => {
    await withScratchDatabase(owner(), 'concurrent', async (url) => {
      const results = await Promise.all([1, 2, 3].map(() => migrate({ url, dir: MIGRATIONS_DIR })));
      const total = (await readMigrations(MIGRATIONS_DIR)).length;
      expect(results.map((r) => r.applied.length).sort()).toEqual([0, 0, total]);
      expect(await migrationRows(url)).toHaveLength(total);
    });
  });

  it('rolls a failing migration back whole and names its file and line', async () => {
    await cp(MIGRATIONS_DIR, workDir, { recursive: true });
    const broken = path.join(workDir, '29991231000000_broken');
    await mkdir(broken);
    await writeFile(
      path.join(broken, 'migration.sql'),
      [
        '-- a table, then a statement that cannot work',
        'CREATE TABLE "half_done" ("id" INTEGER);',
        '',
        'ALTER TABLE "no_such_table" ADD COLUMN "x" INTEGER;',
        '',
      ].join('\n'),
    );
    await withScratchDatabase(owner(), 'broken', async (url) => {
      await migrate({ url, dir: MIGRATIONS_DIR });
      const before = await catalogSnapshot(url);
      const recordsBefore = await migrationRows(url);
      const failure = migrate({ url, dir: workDir });
      await expect(failure).rejects.toThrow(MigrationError);
      await expect(failure).rejects.toThrow(
        `Migration 29991231000000_broken failed and was rolled back (${path.join(broken, 'migration.sql')}:4): relation "no_such_table" does not exist`,
      );
      expect(await catalogSnapshot(url)).toEqual(before);
      expect(await migrationRows(url)).toEqual(recordsBefore);
    });
  });

  it('refuses to run when an applied migration was edited afterwards', async () => {
    await cp(MIGRATIONS_DIR, workDir, { recursive: true });
    const [first] = await readMigrations(workDir);
    await withScratchDatabase(owner(), 'edited', async (url) => {
      await migrate({ url, dir: workDir });
      await writeFile(first!.file, `${await readFile(first!.file, 'utf8')}\n-- an afterthought\n`);
      await expect(migrate({ url, dir: workDir })).rejects.toThrow(
        `Migration ${first!.name} was modified after it was applied (${first!.file}); write a new migration instead`,
      );
    });
  });

  it('creates the database when the URL names one that does not exist yet', async () => {
    await withScratchDatabase(owner(), 'parent', async (parentUrl) => {
      const url = new URL(parentUrl);
      const name = `${url.pathname.slice(1)}_child`;
      url.pathname = `/${name}`;
      try {
        const result = await migrate({ url: url.toString(), dir: MIGRATIONS_DIR });
        expect(result.applied.length).toBeGreaterThan(0);
      } finally {
        const admin = new pg.Client({ connectionString: owner() });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`);
        await admin.end();
      }
    });
  });
});
