import pg from 'pg';
import { APP_DATABASE_ROLE } from '@academy/platform';

/**
 * Gives the services' role its password, so that the derived DATABASE_APP_URL works on
 * servers that check passwords (the embedded PostgreSQL does). Needs CREATEROLE; when the
 * owner lacks it, operators manage the role and set DATABASE_APP_URL themselves.
 */
export async function setAppRolePassword(ownerUrl: string, password: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query(`ALTER ROLE ${client.escapeIdentifier(APP_DATABASE_ROLE)} WITH LOGIN PASSWORD ${client.escapeLiteral(password)}`);
    return true;
  } catch (error) {
    if ((error as pg.DatabaseError).code === '42501') return false;
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}
