import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A throwaway database on the owner's server, for checks that must not touch real data. */
export async function withScratchDatabase<T>(ownerUrl: string, label: string, work: (url: string) => Promise<T>): Promise<T> {
  // The pid lets a later test run drop what a killed process left behind.
  const name = `academy_scratch_${process.pid}_${label}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ownerUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
    const url = new URL(ownerUrl);
    url.pathname = `/${name}`;
    try {
      return await work(url.toString());
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`).catch(() => undefined);
    }
  } finally {
    await admin.end().catch(() => undefined);
  }
}

export async function executeSql(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end().catch(() => undefined);
  }
}
