import pg from 'pg';

/**
 * What Prisma models of a database, one line per object: tables and columns, indexes,
 * constraints and enums of the public schema. Policies, functions and grants are ours, not
 * Prisma's, and are left out; so is Prisma's own bookkeeping table.
 */
export async function catalogSnapshot(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const lines: string[] = [];
    const columns = await client.query<{ table: string; column: string; type: string; not_null: boolean; default: string | null }>(`
      SELECT c.relname AS "table", a.attname AS "column", format_type(a.atttypid, a.atttypmod) AS "type",
             a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS "default"
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
        AND c.relname <> '_prisma_migrations'`);
    for (const row of columns.rows) {
      lines.push(
        `column ${row.table}.${row.column} ${row.type}${row.not_null ? ' NOT NULL' : ''}${row.default ? ` DEFAULT ${row.default}` : ''}`,
      );
    }
    const indexes = await client.query<{ indexdef: string }>(`
      SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`);
    for (const row of indexes.rows) lines.push(`index ${row.indexdef}`);
    const constraints = await client.query<{ table: string; name: string; definition: string }>(`
      SELECT c.relname AS "table", con.conname AS name, pg_get_constraintdef(con.oid) AS definition
      FROM pg_constraint con
      JOIN pg_class c ON c.oid = con.conrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND con.contype IN ('p', 'u', 'f', 'c') AND c.relname <> '_prisma_migrations'`);
    for (const row of constraints.rows) lines.push(`constraint ${row.table}.${row.name} ${row.definition}`);
    const enums = await client.query<{ name: string; labels: string }>(`
      SELECT t.typname AS name, string_agg(e.enumlabel::text, ', ' ORDER BY e.enumsortorder) AS labels
      FROM pg_type t
      JOIN pg_enum e ON e.enumtypid = t.oid
      JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public'
      GROUP BY t.typname`);
    for (const row of enums.rows) lines.push(`enum ${row.name} (${row.labels})`);
    return lines.sort();
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Lines only in `expected` are missing from `actual`, and the other way round. */
export function compareSnapshots(expected: string[], actual: string[]): string[] {
  const actualSet = new Set(actual);
  const expectedSet = new Set(expected);
  return [
    ...expected.filter((line) => !actualSet.has(line)).map((line) => `in schema.prisma, not in the database: ${line}`),
    ...actual.filter((line) => !expectedSet.has(line)).map((line) => `in the database, not in schema.prisma: ${line}`),
  ];
}
