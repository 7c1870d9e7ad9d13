// `npm start`, `npm test`, `npm run bench`, `npm run db:*` and `npm run generate`, after scripts/launch.js has made
// sure dependencies and Prisma Client exist.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { MigrationError, migrate, MIGRATIONS_DIR, newMigration, setAppRolePassword } from '@academy/migrator';
import { CredentialSigner } from '@academy/credentials';
import { appDatabaseUrl, createDatabaseClient, Database } from '@academy/platform';
import { devSecrets, type DevSecrets } from './dev-secrets';
import { supergraphServices as platformServices } from './supergraph-services';
import { startServices, type RunningServices, type ServiceSpec } from './services';
import { seedDatabase, settleImpact } from '@academy/seed';
import { devstackEnvironment, REPO_ROOT, type DevstackEnvironment } from './environment';
import { prepareStack, type Stack } from './stack';
import { StackError } from './stack-error';
import { buildWebApp } from './web-app-build';
import { mergeResults, testPhases } from './test-phases';

const say = (line: string) => process.stdout.write(`${line}\n`);

type Command = (environment: DevstackEnvironment, args: string[]) => Promise<number>;

const commands: Record<string, Command> = {
  async start(environment) {
    const stack = await prepareStack(environment, say, { messaging: true });
    let services: RunningServices | undefined;
    let stopping = false;
    const shutdown = async () => {
      if (stopping) return;
      stopping = true;
      say('\nstopping...');
      await services?.stop();
      await stack.stop();
      process.exit(0);
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
    await prepareDatabase(environment, stack, { seedWhenEmpty: true });
    await buildWebApp(say);
    const specs = supergraphServices(environment, stack, await devSecrets(environment.ACADEMY_DATA_DIR));
    services = await startServices(REPO_ROOT, specs, say);
    const gateway = `http://localhost:${environment.PORT}/graphql`;
    say('\nMADFAM Academy is running');
    say(`  App         http://localhost:${environment.PORT}/t/demo/  (the web app; sign in as learner@demo.academy.mx)`);
    say(`  Gateway     ${gateway}  (Apollo Sandbox in a browser; tenant "demo" unless you send X-Tenant)`);
    say(
      `              also http://localhost:${environment.PORT}/t/<tenant>/graphql and http://<tenant>.localhost:${environment.PORT}/graphql`,
    );
    say(
      `  Subgraphs   ${specs
        .filter((spec) => !['gateway', 'workers', 'conocer-sandbox', 'payment-sandbox'].includes(spec.name))
        .map((spec) => `${spec.name} :${spec.port}`)
        .join(', ')}`,
    );
    say(
      `  Background  workers (health :${environment.SUBGRAPH_BASE_PORT + 5}), CONOCER sandbox http://127.0.0.1:${environment.SUBGRAPH_BASE_PORT + 99}` +
        (environment.STRIPE_SECRET_KEY ? '' : `, payment sandbox (Stripe's API) http://127.0.0.1:${environment.SUBGRAPH_BASE_PORT + 199}`),
    );
    say(`  Live        ws://localhost:${environment.PORT}/graphql (graphql-ws; connection parameter authorization: "Bearer <token>")`);
    for (const line of stack.describe()) say(`  ${line}`);
    say('  Accounts    <persona>@<tenant>.academy.mx, password academy-demo-2026 (e.g. learner@demo.academy.mx)');
    say('\nTry it:');
    say(`  curl -s ${gateway} -H 'content-type: application/json' -H 'x-tenant: demo' \\`);
    say(
      `    -d '{"query":"mutation { login(email: \\"learner@demo.academy.mx\\", password: \\"academy-demo-2026\\") { token user { name } } }"}'`,
    );
    say(`  curl -s ${gateway} -H 'content-type: application/json' -H 'x-tenant: demo' -H 'authorization: Bearer <token>' \\`);
    say(`    -d '{"query":"{ me { enrollments { course { title } progressPercent } certificates { verificationCode conocerStatus } } }"}'`);
    say('\nPress Ctrl+C to stop.');
    await new Promise(() => undefined);
    return 0;
  },

  async test(environment, args) {
    const stack = await prepareStack(environment, say);
    try {
      const phases = testPhases(args);
      let code = 0;
      for (const phase of phases) {
        const exit = await runNode(path.join(REPO_ROOT, 'node_modules/jest/bin/jest.js'), phase.args, {
          DATABASE_URL: stack.serverUrl,
          REDIS_URL: stack.redisUrl,
          DATABASE_APP_PASSWORD: environment.DATABASE_APP_PASSWORD,
        });
        code ||= exit;
      }
      await mergeResults(phases);
      return code;
    } finally {
      await stack.stop();
    }
  },

  async bench(environment, args) {
    const stack = await prepareStack(environment, say);
    try {
      return await runNode(
        path.join(REPO_ROOT, 'tools/bench/src/run.ts'),
        args,
        {
          // As deployed: graphql-js, among others, runs its development checks otherwise.
          NODE_ENV: 'production',
          DATABASE_URL: stack.serverUrl,
          REDIS_URL: stack.redisUrl,
          DATABASE_APP_PASSWORD: environment.DATABASE_APP_PASSWORD,
        },
        ['--import', 'tsx'],
      );
    } finally {
      await stack.stop();
    }
  },

  async 'db:migrate'(environment) {
    const stack = await prepareStack(environment, say);
    try {
      await prepareDatabase(environment, stack, { seedWhenEmpty: false });
      return 0;
    } finally {
      await stack.stop();
    }
  },

  async 'db:seed'(environment) {
    const stack = await prepareStack(environment, say);
    try {
      await prepareDatabase(environment, stack, { seedWhenEmpty: false });
      await withDatabase(environment, stack, async (database) => {
        const started = Date.now();
        await seedDatabase({ database, credentials: await credentialSigner(environment), log: (line) => say(`seed: ${line}`) });
        say(`seed: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      });
      return 0;
    } finally {
      await stack.stop();
    }
  },

  async 'db:migration:new'(environment, args) {
    const name = args[0];
    if (!name) throw new StackError('usage: npm run db:migration:new -- <name> [--from <old schema.prisma>]');
    const fromIndex = args.indexOf('--from');
    const stack = await prepareStack(environment, say);
    try {
      const created = await newMigration({
        name,
        ownerUrl: stack.serverUrl,
        ...(fromIndex > 0 && args[fromIndex + 1] ? { fromFile: args[fromIndex + 1] } : {}),
      });
      if (!created) {
        say('No schema changes: nothing to migrate.');
        return 0;
      }
      say(`Wrote ${path.relative(REPO_ROOT, created.file)}:\n\n${created.sql}`);
      say('New tenant-owned tables need row-level security too (see the row_level_security migration); the isolation test checks it.');
      return 0;
    } finally {
      await stack.stop();
    }
  },

  async generate() {
    // Prisma Client was regenerated by scripts/launch.js; the resolver types come from codegen.yml.
    return runNode(path.join(REPO_ROOT, 'node_modules/@graphql-codegen/cli/esm/bin.js'), ['--config', 'codegen.yml'], {});
  },
};

/** The platform's processes as `npm start` runs them: development mode, the dev secrets, tenant "demo" by default. */
function supergraphServices(environment: DevstackEnvironment, stack: Stack, secrets: DevSecrets): ServiceSpec[] {
  return platformServices({
    nodeEnv: 'development',
    databaseAppUrl: appDatabaseUrl({
      appUrl: environment.DATABASE_APP_URL,
      ownerUrl: stack.databaseUrl,
      appPassword: environment.DATABASE_APP_PASSWORD,
    }),
    redisUrl: stack.redisUrl,
    secrets,
    gatewayPort: environment.PORT,
    gatewayHost: '0.0.0.0',
    basePort: environment.SUBGRAPH_BASE_PORT,
    baseDomain: 'localhost',
    defaultTenant: 'demo',
    messaging: stack.messaging!,
    // The app where the banner sends people (sessions are kept per origin): the payment provider's
    // return URL and the links in emails lead back to the same one.
    appUrl: `http://localhost:${environment.PORT}/t/{tenant}`,
    stripe: environment.STRIPE_SECRET_KEY
      ? {
          secretKey: environment.STRIPE_SECRET_KEY,
          webhookSecret: environment.STRIPE_WEBHOOK_SECRET ?? '',
          apiUrl: environment.STRIPE_API_URL,
        }
      : undefined,
  });
}

async function prepareDatabase(environment: DevstackEnvironment, stack: Stack, options: { seedWhenEmpty: boolean }): Promise<void> {
  const result = await migrate({
    url: stack.databaseUrl,
    dir: MIGRATIONS_DIR,
    logger: { info: (line) => say(`migrate: ${line}`), warn: (line) => say(`migrate: ${line}`) },
  });
  say(`migrate: ${result.applied.length} applied, ${result.alreadyApplied} already applied`);
  if (!environment.DATABASE_APP_URL) await setAppRolePassword(stack.databaseUrl, environment.DATABASE_APP_PASSWORD);
  if (!options.seedWhenEmpty) return;
  await withDatabase(environment, stack, async (database) => {
    const tenants = await database.asPlatform(
      { actorId: 'system:devstack', action: 'devstack.seed-check', reason: 'Seed the demo data set on an empty database at start' },
      (tx) => tx.tenant.count(),
    );
    if (tenants > 0) return settleImpact(database, (line) => say(line));
    say('seed: empty database, loading the demo data set');
    const started = Date.now();
    await seedDatabase({ database, credentials: await credentialSigner(environment), log: (line) => say(`seed: ${line}`) });
    say(`seed: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
}

async function credentialSigner(environment: DevstackEnvironment): Promise<CredentialSigner> {
  const secrets = await devSecrets(environment.ACADEMY_DATA_DIR);
  return CredentialSigner.load(secrets.credentialSigningKey, secrets.credentialRsaSigningKey);
}

async function withDatabase<T>(environment: DevstackEnvironment, stack: Stack, work: (database: Database) => Promise<T>): Promise<T> {
  const client = createDatabaseClient({
    url: appDatabaseUrl({
      appUrl: environment.DATABASE_APP_URL,
      ownerUrl: stack.databaseUrl,
      appPassword: environment.DATABASE_APP_PASSWORD,
    }),
    applicationName: 'academy-devstack',
  });
  try {
    return await work(new Database(client.prisma));
  } finally {
    await client.close();
  }
}

function runNode(script: string, args: string[], env: Record<string, string>, nodeOptions: string[] = []): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...nodeOptions, script, ...args], {
      cwd: REPO_ROOT,
      stdio: 'inherit',
      env: { ...process.env, ...env },
    });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? 1);
    });
  });
}

async function main(): Promise<void> {
  const [name = 'start', ...args] = process.argv.slice(2);
  const command = commands[name];
  if (!command) {
    process.stderr.write(`Unknown command ${name}; one of: ${Object.keys(commands).join(', ')}\n`);
    process.exit(2);
  }
  const environment = devstackEnvironment();
  try {
    process.exit(await command(environment, args));
  } catch (error) {
    if (error instanceof StackError || error instanceof MigrationError) {
      process.stderr.write(`${error.message}\n`);
    } else if (isConnectionRefused(error)) {
      process.stderr.write(`Cannot reach a service: ${(error as Error).message}. Check DATABASE_URL and REDIS_URL.\n`);
    } else {
      process.stderr.write(`${name} failed: ${(error as Error).message ?? String(error)}\n`);
    }
    process.exit(1);
  }
}

function isConnectionRefused(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT';
}

void main();
