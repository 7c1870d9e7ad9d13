import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './paths';

const run = promisify(execFile);
const PRISMA6_CLI = path.join(REPO_ROOT, 'node_modules/prisma6/build/index.js');
const PRISMA6_CONFIG = path.join(__dirname, '../prisma6.config.ts');

/** Our schema.prisma as Prisma 6 reads it: its datasource needs a url, the generator is irrelevant. */
export function toPrisma6Schema(schema: string): string {
  const withoutGenerator = schema.replace(/generator\s+\w+\s*\{[^}]*\}\s*/g, '');
  return withoutGenerator.replace(/datasource\s+(\w+)\s*\{([^}]*)\}/, (_match, name: string, body: string) =>
    /\burl\s*=/.test(body) ? `datasource ${name} {${body}}` : `datasource ${name} {${body.trimEnd()}\n  url = env("DATABASE_URL")\n}`,
  );
}

/**
 * The SQL that takes a database from `from` (a schema.prisma text, or null for empty) to `to`,
 * exactly as Prisma's migrate would write it.
 */
export async function prismaMigrationSql(options: { from: string | null; to: string; ownerUrl: string }): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'academy-prisma-diff-'));
  try {
    const toFile = path.join(dir, 'to.prisma');
    await writeFile(toFile, toPrisma6Schema(options.to));
    const fromArgs: string[] = ['--from-empty'];
    if (options.from !== null) {
      const fromFile = path.join(dir, 'from.prisma');
      await writeFile(fromFile, toPrisma6Schema(options.from));
      fromArgs.splice(0, 1, '--from-schema-datamodel', fromFile);
    }
    const outFile = path.join(dir, 'out.sql');
    await run(
      process.execPath,
      [
        PRISMA6_CLI,
        'migrate',
        'diff',
        ...fromArgs,
        '--to-schema-datamodel',
        toFile,
        '--script',
        '--output',
        outFile,
        '--config',
        PRISMA6_CONFIG,
      ],
      {
        cwd: REPO_ROOT,
        timeout: 60_000,
        env: {
          ...process.env,
          DATABASE_URL: options.ownerUrl,
          // Only checked for existence: the diff runs in the WASM engine.
          PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
          PRISMA_QUERY_ENGINE_LIBRARY: process.execPath,
          CHECKPOINT_DISABLE: '1',
          PRISMA_HIDE_UPDATE_MESSAGE: '1',
        },
      },
    );
    return await readFile(outFile, 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function isEmptyMigration(sql: string): boolean {
  return sql.split('\n').every((line) => line.trim() === '' || line.trim().startsWith('--'));
}
