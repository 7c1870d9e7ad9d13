import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MIGRATIONS_DIR, REPO_ROOT, SCHEMA_FILE } from './paths';
import { isEmptyMigration, prismaMigrationSql } from './prisma-diff';

/**
 * Writes prisma/migrations/<UTC timestamp>_<name>/migration.sql with the SQL Prisma would write
 * for the change from the committed schema (git HEAD, or `fromFile`) to the working one.
 * Returns null when the schemas do not differ.
 */
export async function newMigration(options: {
  name: string;
  ownerUrl: string;
  fromFile?: string;
  now?: Date;
}): Promise<{ file: string; sql: string } | null> {
  if (!/^[a-z0-9_]+$/.test(options.name)) throw new Error('A migration name is lower-case letters, digits and underscores');
  const to = await readFile(SCHEMA_FILE, 'utf8');
  const from = options.fromFile ? await readFile(options.fromFile, 'utf8') : committedSchema();
  const sql = await prismaMigrationSql({ from, to, ownerUrl: options.ownerUrl });
  if (isEmptyMigration(sql)) return null;
  const stamp = (options.now ?? new Date()).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const dir = path.join(MIGRATIONS_DIR, `${stamp}_${options.name}`);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'migration.sql');
  await writeFile(file, sql);
  return { file, sql };
}

function committedSchema(): string | null {
  try {
    return execFileSync('git', ['show', 'HEAD:prisma/schema.prisma'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  } catch {
    return null;
  }
}
