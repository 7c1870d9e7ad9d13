import pg from 'pg';

export default async function globalTeardown(): Promise<void> {
  const name = process.env.TEST_RUN_ID;
  const url = process.env.DATABASE_URL;
  if (!name || !url || process.env.KEEP_TEST_DATABASE === '1') return;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
