import pg from 'pg';

export default async function globalTeardown(): Promise<void> {
  const names = [process.env.TEST_RUN_ID, process.env.TEST_TEMPLATE_DATABASE].filter((name): name is string => Boolean(name));
  const url = process.env.DATABASE_URL;
  if (names.length === 0 || !url || process.env.KEEP_TEST_DATABASE === '1') return;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    for (const name of names) await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
