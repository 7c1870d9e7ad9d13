import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CredentialSigner } from '@academy/credentials';
import {
  freeBasePort,
  generateSecrets,
  startMailServer,
  startObjectStore,
  SUBGRAPH_SERVICE_NAMES,
  supergraphServices,
  type DevSecrets,
} from '@academy/devstack';
import { createDatabaseClient, Database, type Persona } from '@academy/platform';
import { seedDatabase } from '@academy/seed';
import { loadSigningKey, TokenIssuer } from '@academy/tokens';
import { cpuSeconds, peakRssMiB, postgresCpuSeconds, redisCpuSeconds, startProcess, type Service } from './field/processes';
import type { ScratchDatabase } from './scratch-database';
import { scrape } from '@academy/testing';

const REPO = path.resolve(__dirname, '../../..');
const READY: Record<string, RegExp> = {
  gateway: /gateway ready/,
  workers: /workers ready/,
  'conocer-sandbox': /conocer sandbox ready/,
  'payment-sandbox': /payment sandbox ready/,
};

export interface Platform {
  origin: string;
  /** The workers' health and metrics server (started with `workers: true`), else null. */
  workersOrigin: string | null;
  /** Keys of this stack in Redis. */
  redisPrefix: string;
  services: Map<string, Service>;
  /** http://host:port of a service (a subgraph's /graphql, past the gateway). */
  subgraphOrigin(name: string): string;
  secrets: DevSecrets;
  /** An access token as the users subgraph signs them. */
  token(viewer: { userId: string; tenantId: string; persona: Persona }): Promise<string>;
  /** CPU seconds so far of the gateway and of the subgraphs together. */
  cpu(): { gateway: number; subgraphs: number };
  /**
   * CPU seconds so far of everything a request costs on this machine, by part: each service, the
   * PostgreSQL and Redis servers (all of the machine's) and this process (the load generator).
   */
  cpuByPart(): Record<string, number>;
  /** Peak resident memory, MiB, of the gateway and of the subgraphs together. */
  peakRss(): { gateway: number; subgraphs: number };
  /**
   * Resident memory (VmRSS) now, MiB, of each service (its process and any it forked), by name:
   * read from /proc alone, cheap enough to sample while a load runs.
   */
  rss(): Record<string, number>;
  /** SQL statements the subgraphs have sent so far, by kind. */
  statements(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/**
 * BENCH_CPU_PROFILE=<directory>: every process of the platform writes a V8 CPU profile there when
 * it stops (`--cpu-prof`; open it in Chrome's DevTools), to see where a scenario's time goes.
 */
const PROFILE_OPTIONS = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];

/**
 * The services run as the image runs them: the production build (`scripts/build.mjs`, without the
 * web app), each `dist/<service>/main.js` under plain Node with source maps on, not TypeScript
 * through tsx (whose module hooks sit on every `require`, some libraries' per-request ones too).
 * Built once per bench run into tools/bench/dist (about 4 s); third-party packages resolve from
 * the repository's node_modules, as from the image's.
 */
const BUILD_DIR = path.join(REPO, 'tools', 'bench', 'dist');
let built: Promise<void> | null = null;
function productionBuild(): Promise<void> {
  built ??= new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO, 'scripts', 'build.mjs'), '--out', BUILD_DIR, '--no-web'], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`the production build failed (${code}):\n${output.slice(-2000)}`)),
    );
  });
  return built;
}

/**
 * The platform as deployed, on a scratch database: the five subgraphs, the gateway (production:
 * persisted documents, limits, rate limits, logs, metrics) and, when asked, the workers and the
 * CONOCER sandbox, each its own process; the database seeded with the demo data set first.
 */
export async function startPlatform(options: {
  database: ScratchDatabase;
  redisUrl: string;
  workers?: boolean;
  gatewayEnv?: Record<string, string>;
}): Promise<Platform> {
  const secrets = await generateSecrets();
  const client = createDatabaseClient({ url: options.database.appUrl, applicationName: 'academy-bench-seed' });
  try {
    await seedDatabase({
      database: new Database(client.prisma),
      credentials: new CredentialSigner(await loadSigningKey(secrets.credentialSigningKey)),
    });
  } finally {
    await client.close();
  }
  const base = await freeBasePort();
  // Email and files as in development: a MailDev and an s3rver of the run's own.
  const filesDir = await mkdtemp(path.join(os.tmpdir(), 'academy-bench-s3-'));
  const objects = await startObjectStore({ port: 0, directory: filesDir });
  const mail = await startMailServer({ smtpPort: base + 97, webPort: base + 98 });
  const redisPrefix = `academy:bench-${process.pid}-${base}:`;
  const specs = supergraphServices({
    nodeEnv: 'production',
    databaseAppUrl: options.database.appUrl,
    redisUrl: options.redisUrl,
    redisPrefix,
    secrets,
    gatewayPort: base + 100,
    gatewayHost: '127.0.0.1',
    basePort: base,
    baseDomain: 'academy.bench',
    // Budgets far above one load generator's minute (rate limiting itself stays on).
    gatewayEnv: { RATE_LIMIT_SCALE: '100000', ...options.gatewayEnv },
    messaging: {
      smtpUrl: mail.smtpUrl,
      s3: {
        url: objects.url,
        bucket: 'academy-bench',
        region: 'us-east-1',
        accessKeyId: objects.accessKeyId,
        secretAccessKey: objects.secretAccessKey,
      },
    },
    appUrl: 'https://{tenant}.academy.bench',
  }).filter((spec) => options.workers || !['workers', 'conocer-sandbox'].includes(spec.name));
  await productionBuild();
  const services = new Map<string, Service>();
  const start = async (spec: (typeof specs)[number]) => {
    const service = await startProcess(
      process.execPath,
      [...(spec.nodeOptions ?? []), ...PROFILE_OPTIONS, '--enable-source-maps', path.join(BUILD_DIR, spec.name, 'main.js')],
      { ...spec.env, PORT: String(spec.port) },
      READY[spec.name] ?? new RegExp(`${spec.name} subgraph ready`),
    );
    services.set(spec.name, service);
  };
  const stop = async () => {
    await Promise.all([...services.values()].map((service) => service.stop()));
    await mail.stop();
    await objects.stop();
    await rm(filesDir, { recursive: true, force: true });
  };
  try {
    await Promise.all(specs.filter((spec) => spec.name !== 'gateway').map(start));
    await start(specs.find((spec) => spec.name === 'gateway')!);
  } catch (error) {
    await stop();
    throw error;
  }
  const issuer = new TokenIssuer(await loadSigningKey(secrets.authSigningKey), {
    issuer: 'https://academy.mx',
    audience: 'madfam-academy',
    ttlSeconds: 3600,
  });
  const pids = (names: readonly string[]) => names.map((name) => services.get(name)!.child.pid!);
  const sum = (values: number[]) => Math.round(values.reduce((a, b) => a + b, 0) * 10) / 10;
  return {
    origin: `http://127.0.0.1:${base + 100}`,
    workersOrigin: services.has('workers') ? `http://127.0.0.1:${base + 5}` : null,
    redisPrefix,
    services,
    subgraphOrigin: (name) => `http://127.0.0.1:${specs.find((spec) => spec.name === name)!.port}`,
    secrets,
    token: async (viewer) => (await issuer.issue(viewer)).token,
    cpu: () => ({ gateway: cpuSeconds(pids(['gateway'])[0]!), subgraphs: sum(pids(SUBGRAPH_SERVICE_NAMES).map(cpuSeconds)) }),
    cpuByPart: () => ({
      ...Object.fromEntries([...services].map(([name, service]) => [name, cpuSeconds(service.child.pid!)])),
      postgresql: postgresCpuSeconds(),
      redis: redisCpuSeconds(),
      'load generator': (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    }),
    peakRss: () => ({ gateway: peakRssMiB(pids(['gateway'])[0]!), subgraphs: sum(pids(SUBGRAPH_SERVICE_NAMES).map(peakRssMiB)) }),
    rss: () => Object.fromEntries([...services].map(([name, service]) => [name, residentMiB(service.child.pid!)])),
    async statements() {
      const counts: Record<string, number> = {};
      for (const name of SUBGRAPH_SERVICE_NAMES) {
        const metrics = await scrape(`http://127.0.0.1:${specs.find((spec) => spec.name === name)!.port}/metrics`);
        for (const sample of metrics.filter((one) => one.name === 'academy_database_statements_total')) {
          const kind = sample.labels.kind!;
          counts[kind] = (counts[kind] ?? 0) + sample.value;
        }
      }
      return counts;
    },
    stop,
  };
}

/**
 * VmRSS of a process and its descendants, MiB, from /proc only (the children each thread forked,
 * /proc/<pid>/task/<tid>/children): unlike `rssMiB`, which asks `ps` for the tree, this spawns
 * nothing, so a load generator's event loop can sample it between requests.
 */
function residentMiB(pid: number): number {
  const descendants = (one: number): number[] => {
    let children: number[] = [];
    try {
      for (const task of readdirSync(`/proc/${one}/task`)) {
        children = children.concat(
          readFileSync(`/proc/${one}/task/${task}/children`, 'utf8')
            .split(' ')
            .map(Number)
            .filter((child) => child > 0),
        );
      }
    } catch {
      // Gone, or a kernel without the children file: this process alone.
    }
    return [one, ...children.flatMap(descendants)];
  };
  const kib = descendants(pid).reduce((total, one) => {
    try {
      return total + Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${one}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      return total;
    }
  }, 0);
  return Math.round(kib / 102.4) / 10;
}
