import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { MIGRATIONS_DIR, migrate, setAppRolePassword } from '@academy/migrator';
import { CredentialSigner } from '@academy/credentials';
import { appDatabaseUrl, createDatabaseClient, Database } from '@academy/platform';
import { generateRsaSigningJwk, generateSigningJwk } from '@academy/tokens';
import { seedDatabase } from '@academy/seed';
import { runnerEnvironment } from './environment';

/** Names of the databases a test run creates on the server; the suffix is the runner's pid. */
export const TEST_DATABASE_PREFIX = 'academy_test_';
/** Migrated and seeded once per run; every test database is a copy (CREATE DATABASE ... TEMPLATE). */
export const TEMPLATE_DATABASE_PREFIX = 'academy_tpl_';

/**
 * One database per test run, migrated and seeded, on the server `npm test` provides; tests
 * create their own tenants in it. Databases left behind by runs that died are dropped.
 */
export default async function globalSetup(): Promise<void> {
  const environment = runnerEnvironment();
  const started = Date.now();
  const name = `${TEST_DATABASE_PREFIX}${process.pid}`;
  const template = `${TEMPLATE_DATABASE_PREFIX}${process.pid}`;
  const admin = new pg.Client({ connectionString: environment.DATABASE_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname ~ '^academy_(test|scratch|tpl)_'`,
    );
    for (const { datname } of rows) {
      const pid = Number(/_(\d+)(?:_|$)/.exec(datname.replace(/^academy_(test|scratch|tpl)/, ''))?.[1]);
      if (datname === name || datname === template || !pidAlive(pid)) {
        await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(datname)} WITH (FORCE)`);
      }
    }
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(template)}`);
  } finally {
    await admin.end();
  }
  const templateUrl = withDatabase(environment.DATABASE_URL, template);
  await migrate({ url: templateUrl, dir: MIGRATIONS_DIR });
  await setAppRolePassword(templateUrl, environment.DATABASE_APP_PASSWORD);
  const templateAppUrl = appDatabaseUrl({ ownerUrl: templateUrl, appPassword: environment.DATABASE_APP_PASSWORD });
  // Keys of this run: the services under test sign with them, the seed signs its certificates.
  const authSigningKey = JSON.stringify(await generateSigningJwk('test-auth'));
  const credentialSigningKey = JSON.stringify(await generateSigningJwk('test-credential'));
  const credentialRsaSigningKey = JSON.stringify(await generateRsaSigningJwk('test-credential-rsa'));
  const client = createDatabaseClient({ url: templateAppUrl, applicationName: 'academy-test-setup' });
  try {
    await seedDatabase({
      database: new Database(client.prisma),
      credentials: await CredentialSigner.load(credentialSigningKey, credentialRsaSigningKey),
    });
  } finally {
    await client.close();
  }
  await copyDatabase(environment.DATABASE_URL, template, name);
  const ownerUrl = withDatabase(environment.DATABASE_URL, name);
  const appUrl = appDatabaseUrl({ ownerUrl, appPassword: environment.DATABASE_APP_PASSWORD });
  process.env.TEST_DATABASE_URL = ownerUrl;
  process.env.TEST_APP_DATABASE_URL = appUrl;
  process.env.TEST_RUN_ID = name;
  process.env.TEST_TEMPLATE_DATABASE = template;
  process.env.TEST_AUTH_SIGNING_KEY = authSigningKey;
  process.env.TEST_CREDENTIAL_SIGNING_KEY = credentialSigningKey;
  process.env.TEST_CREDENTIAL_RSA_SIGNING_KEY = credentialRsaSigningKey;
  process.env.TEST_GATEWAY_SECRET = randomBytes(32).toString('base64url');
  process.stdout.write(`\ntest database ${name} migrated and seeded in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function withDatabase(url: string, database: string): string {
  const target = new URL(url);
  target.pathname = `/${database}`;
  return target.toString();
}

/** A new database with the template's schema and data (nobody may be connected to the template). */
export async function copyDatabase(serverUrl: string, template: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)} TEMPLATE ${admin.escapeIdentifier(template)}`);
  } finally {
    await admin.end();
  }
}
