// The demo data set for containers (`node scripts/run-service.js seed`; developers use `npm run db:seed`).
// Idempotent: rows already there are left as they are.
import { CredentialSigner } from '@academy/credentials';
import { appDatabaseUrl, createDatabaseClient, Database } from '@academy/platform';
import { seedEnvironment } from './environment';
import { seedDatabase } from './seed';

async function main(): Promise<void> {
  const environment = seedEnvironment();
  const client = createDatabaseClient({
    url: appDatabaseUrl({
      appUrl: environment.DATABASE_APP_URL,
      ownerUrl: environment.DATABASE_URL!,
      appPassword: environment.DATABASE_APP_PASSWORD,
    }),
    applicationName: 'academy-seed',
  });
  try {
    const started = Date.now();
    await seedDatabase({
      database: new Database(client.prisma),
      credentials: await CredentialSigner.load(environment.CREDENTIAL_SIGNING_KEY, environment.CREDENTIAL_RSA_SIGNING_KEY ?? null),
      log: (line) => console.log(`seed: ${line}`),
    });
    console.log(`seed: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await client.close();
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`seed: ${error.message}`);
    process.exit(1);
  },
);
