import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { testEnvironment } from '@academy/testing';
import { checkDrift, MIGRATIONS_DIR, SCHEMA_FILE } from '../src';

/** schema.prisma and the migrated database must describe the same tables, columns, indexes and enums. */
describe('schema drift', () => {
  const ownerUrl = () => testEnvironment().DATABASE_URL;
  let workDir: string;

  beforeEach(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'academy-drift-'));
  });
  afterEach(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('finds none between prisma/schema.prisma and prisma/migrations', async () => {
    expect(await checkDrift({ ownerUrl: ownerUrl() })).toEqual([]);
  });

  it('reports a schema change that has no migration', async () => {
    const schemaFile = path.join(workDir, 'schema.prisma');
    const schema = await readFile(SCHEMA_FILE, 'utf8');
    await writeFile(
      schemaFile,
      schema.replace('  name      String\n  tier      TenantTier', '  name      String\n  motto     String?\n  tier      TenantTier'),
    );
    expect(await checkDrift({ ownerUrl: ownerUrl(), schemaFile })).toEqual([
      'in schema.prisma, not in the database: column tenants.motto text',
    ]);
  });

  it('reports a migration that changes the database behind the schema', async () => {
    const migrationsDir = path.join(workDir, 'migrations');
    await cp(MIGRATIONS_DIR, migrationsDir, { recursive: true });
    await mkdir(path.join(migrationsDir, '29991231000000_sneaky_index'));
    await writeFile(
      path.join(migrationsDir, '29991231000000_sneaky_index', 'migration.sql'),
      'CREATE INDEX "users_name_idx" ON "users"("name");\n',
    );
    expect(await checkDrift({ ownerUrl: ownerUrl(), migrationsDir })).toEqual([
      'in the database, not in schema.prisma: index CREATE INDEX users_name_idx ON public.users USING btree (name)',
    ]);
  });
});
