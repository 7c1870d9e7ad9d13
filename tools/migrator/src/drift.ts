import { readFile } from 'node:fs/promises';
import { catalogSnapshot, compareSnapshots } from './catalog-snapshot';
import { migrate } from './migration-runner';
import { MIGRATIONS_DIR, SCHEMA_FILE } from './paths';
import { prismaMigrationSql } from './prisma-diff';
import { executeSql, withScratchDatabase } from './scratch-database';

/**
 * Differences between what schema.prisma describes and what the migrations build. Two scratch
 * databases: one built from Prisma's own SQL for the schema, one by our migrations; their
 * catalogs must match line for line. Empty when they agree.
 */
export async function checkDrift(options: { ownerUrl: string; schemaFile?: string; migrationsDir?: string }): Promise<string[]> {
  const schema = await readFile(options.schemaFile ?? SCHEMA_FILE, 'utf8');
  const expectedSql = await prismaMigrationSql({ from: null, to: schema, ownerUrl: options.ownerUrl });
  const expected = await withScratchDatabase(options.ownerUrl, 'expected', async (url) => {
    // Extensions are not modelled in schema.prisma; the first migration creates them.
    await executeSql(url, 'CREATE EXTENSION IF NOT EXISTS "pg_trgm";');
    await executeSql(url, expectedSql);
    return catalogSnapshot(url);
  });
  const actual = await withScratchDatabase(options.ownerUrl, 'migrated', async (url) => {
    await migrate({ url, dir: options.migrationsDir ?? MIGRATIONS_DIR });
    return catalogSnapshot(url);
  });
  return compareSnapshots(expected, actual);
}
