import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { MIGRATIONS_DIR, migrate, setAppRolePassword } from '@academy/migrator';
import { appDatabaseUrl } from '@academy/platform';
import { generateRsaSigningJwk, generateSigningJwk } from '@academy/tokens';

export interface ScratchDatabase {
  /** The schema owner's URL (migrations, bulk loading). */
  ownerUrl: string;
  /** The services' role (academy_app) on it. */
  appUrl: string;
  drop(): Promise<void>;
}

/** A database of a scenario's own on the bench's server, migrated, dropped afterwards. */
export async function scratchDatabase(serverUrl: string, name: string, appPassword: string): Promise<ScratchDatabase> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  const owner = new URL(serverUrl);
  owner.pathname = `/${name}`;
  const ownerUrl = owner.toString();
  const drop = async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  };
  try {
    await migrate({ url: ownerUrl, dir: MIGRATIONS_DIR });
    await setAppRolePassword(ownerUrl, appPassword);
  } catch (error) {
    await drop();
    throw error;
  }
  return { ownerUrl, appUrl: appDatabaseUrl({ ownerUrl, appPassword }), drop };
}

/**
 * What `startSupergraph` of @academy/testing reads, pointed at a scratch database (not a copy of
 * a template): the supergraph, and the workers when asked, run on it. Returns the credential
 * signing key it chose (the seed signs certificates with it).
 */
export async function useTestingHarness(options: {
  serverUrl: string;
  redisUrl: string;
  database: ScratchDatabase;
  runId: string;
}): Promise<{ credentialSigningKey: string }> {
  const credentialSigningKey = JSON.stringify(await generateSigningJwk('bench-credential'));
  Object.assign(process.env, {
    DATABASE_URL: options.serverUrl,
    REDIS_URL: options.redisUrl,
    TEST_DATABASE_URL: options.database.ownerUrl,
    TEST_APP_DATABASE_URL: options.database.appUrl,
    TEST_RUN_ID: options.runId,
    TEST_TEMPLATE_DATABASE: 'none',
    TEST_AUTH_SIGNING_KEY: JSON.stringify(await generateSigningJwk('bench-auth')),
    TEST_CREDENTIAL_SIGNING_KEY: credentialSigningKey,
    TEST_CREDENTIAL_RSA_SIGNING_KEY: JSON.stringify(await generateRsaSigningJwk('bench-credential-rsa')),
    TEST_GATEWAY_SECRET: randomBytes(32).toString('base64url'),
  });
  return { credentialSigningKey };
}

/** The id of the seeded `demo` tenant. */
export async function demoTenantId(owner: pg.Client): Promise<string> {
  return (await owner.query<{ id: string }>("SELECT id FROM tenants WHERE slug = 'demo'")).rows[0]!.id;
}
