// Operators' entry point (containers, CI): `tsx tools/migrator/src/cli.ts [migrate|drift]`.
// Developers use `npm run db:migrate`, which also starts the embedded database when needed.
import { migratorEnvironment } from './environment';
import { checkDrift } from './drift';
import { migrate, MigrationError } from './migration-runner';
import { MIGRATIONS_DIR } from './paths';
import { setAppRolePassword } from './app-role';

async function main(command: string): Promise<number> {
  const environment = migratorEnvironment();
  const logger = { info: (m: string) => console.log(`migrate: ${m}`), warn: (m: string) => console.warn(`migrate: ${m}`) };
  if (command === 'migrate') {
    const result = await migrate({ url: environment.DATABASE_URL, dir: MIGRATIONS_DIR, logger });
    if (!environment.DATABASE_APP_URL) await setAppRolePassword(environment.DATABASE_URL, environment.DATABASE_APP_PASSWORD);
    console.log(`migrate: ${result.applied.length} applied, ${result.alreadyApplied} already applied`);
    return 0;
  }
  if (command === 'drift') {
    const differences = await checkDrift({ ownerUrl: environment.DATABASE_URL });
    if (differences.length === 0) {
      console.log('drift: prisma/schema.prisma and the migrated database agree');
      return 0;
    }
    console.error(`drift: prisma/schema.prisma and the migrated database disagree:\n${differences.map((d) => `  ${d}`).join('\n')}`);
    return 1;
  }
  console.error(`usage: cli.ts migrate|drift`);
  return 2;
}

main(process.argv[2] ?? 'migrate').then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof MigrationError ? error.message : `migrate: ${(error as Error).message}`);
    process.exit(1);
  },
);
