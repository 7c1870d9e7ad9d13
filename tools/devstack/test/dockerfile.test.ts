import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../src/environment';

/**
 * There is no Docker engine here: these read the Dockerfile and docker-compose.yml and check what
 * they promise (docs/deployment.md). The build steps themselves run in production-build.test.ts.
 */
interface Stage {
  from: string;
  name: string | undefined;
  instructions: { keyword: string; args: string }[];
}

async function dockerfileStages(): Promise<Stage[]> {
  const text = (await readFile(path.join(REPO_ROOT, 'Dockerfile'), 'utf8')).replace(/\\\n/g, ' ');
  const stages: Stage[] = [];
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (!line || line.startsWith('#')) continue;
    const [keyword, ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (keyword!.toUpperCase() === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args)!;
      stages.push({ from: match[1]!, name: match[2], instructions: [] });
    } else {
      stages.at(-1)!.instructions.push({ keyword: keyword!.toUpperCase(), args });
    }
  }
  return stages;
}

const SERVICES = [
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
];

describe('Dockerfile', () => {
  let stages: Stage[];
  let runtime: Stage;
  beforeAll(async () => {
    stages = await dockerfileStages();
    runtime = stages.at(-1)!;
  });
  const args = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

  it('builds on an exact Node 20 slim release, never a moving tag', () => {
    const names = new Set(stages.map((stage) => stage.name));
    const bases = stages.map((stage) => stage.from).filter((from) => !names.has(from));
    expect(bases.length).toBeGreaterThan(0);
    for (const base of bases) expect(base).toMatch(/^node:20\.\d+\.\d+-(bookworm|bullseye)-slim(@sha256:[0-9a-f]{64})?$/);
  });

  it('runs the last stage as a user that is not root', () => {
    const users = args(runtime, 'USER');
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
  });

  it('gives the last stage node_modules only from a stage that installed with --omit=dev and pruned to what the bundles import, and the bundles of the build stage', () => {
    const copies = args(runtime, 'COPY');
    const modules = copies.filter((copy) => /node_modules/.test(copy));
    expect(modules).toHaveLength(1);
    const from = /--from=(\S+)/.exec(modules[0]!)?.[1];
    const source = stages.find((stage) => stage.name === from)!;
    expect(args(source, 'RUN').join('\n')).toMatch(/npm ci [^\n]*--omit=dev[^\n]*&& node scripts\/prune-runtime\.mjs \./);
    // The pruning reads what the build's bundles import.
    expect(args(source, 'COPY')).toContain('--from=build /app/dist/build.json ./dist/build.json');
    expect(args(runtime, 'RUN')).toEqual([]); // nothing installed or built in the last stage
    const dist = copies.find((copy) => /\/app\/dist\b/.test(copy));
    const build = stages.find((stage) => stage.name === /--from=(\S+)/.exec(dist ?? '')?.[1]);
    // The same script as package.json's `build`, which CI's production-build test runs.
    expect(args(build!, 'RUN').join('\n')).toMatch(/npm run build\b/);
  });

  it('keeps install scripts off as on our machines (.npmrc) wherever it installs', () => {
    for (const stage of stages.filter((s) => args(s, 'RUN').some((run) => /npm ci/.test(run)))) {
      const inherited = stages.find((s) => s.name === stage.from);
      const copies = [...args(stage, 'COPY'), ...(inherited ? args(inherited, 'COPY') : [])].join('\n');
      expect(copies).toMatch(/--from=manifests|\.npmrc/);
    }
    expect(
      args(
        stages.find((s) => s.name === 'manifests')!,
        'RUN',
      ).join('\n'),
    ).toContain('.npmrc');
  });

  it('starts a service by name through scripts/run-service.js, checks its health, listens on every address', async () => {
    expect(args(runtime, 'ENTRYPOINT')).toEqual(['["node", "scripts/run-service.js"]']);
    expect(args(runtime, 'CMD')).toEqual(['["gateway"]']);
    expect(args(runtime, 'HEALTHCHECK').join('')).toMatch(/CMD \["node", "scripts\/healthcheck.js"\]/);
    expect(args(runtime, 'ENV').join(' ')).toMatch(/NODE_ENV=production/);
    expect(args(runtime, 'ENV').join(' ')).toMatch(/HOST=0\.0\.0\.0/);
    const { scripts } = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(scripts.build).toBe('node scripts/build.mjs');
  });

  it('leaves installs, builds, data and secrets out of the build context', async () => {
    const ignored = (await readFile(path.join(REPO_ROOT, '.dockerignore'), 'utf8')).split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.git', '.data', '.env']));
  });
});

describe('docker-compose.yml', () => {
  type Service = {
    image?: string;
    build?: unknown;
    command?: string[];
    restart?: string;
    environment?: Record<string, string>;
    healthcheck?: { test?: string[]; disable?: boolean };
    depends_on?: Record<string, { condition: string }>;
    profiles?: string[];
  };
  let services: Record<string, Service>;
  beforeAll(async () => {
    const text = await readFile(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8');
    services = (parse(text, { merge: true }) as { services: Record<string, Service> }).services;
  });

  it('runs the whole platform: data stores, one-shot migrations, every service, the sandboxes, mail and files', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        ...SERVICES,
        'postgres',
        'redis',
        'migrate',
        'seed',
        'maildev',
        'minio',
        'minio-bucket',
        // Profile "stripe": a Stripe test account's webhooks instead of the payment sandbox.
        'stripe-cli',
      ].sort(),
    );
    // The web app is the gateway's (apps/web, built into the image, at /t/<tenant>/).
    expect(services.gateway!.environment!.WEB_APP_DIR).toBeUndefined();
  });

  it("runs each of ours from the repository's image, by name", () => {
    for (const name of [...SERVICES, 'migrate', 'seed']) {
      expect({ name, command: services[name]!.command, build: services[name]!.build }).toEqual({ name, command: [name], build: '.' });
    }
  });

  it('migrates once before anything uses the database, and starts each service after what it needs is healthy', () => {
    expect(services.migrate!.restart).toBe('no');
    expect(services.migrate!.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    for (const name of SERVICES.filter((n) => !n.endsWith('-sandbox'))) {
      expect({ name, migrate: services[name]!.depends_on?.migrate }).toEqual({
        name,
        migrate: { condition: 'service_completed_successfully' },
      });
    }
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        const oneShot = services[dependency]!.restart === 'no';
        expect({ name, dependency, condition }).toEqual({
          name,
          dependency,
          condition: oneShot ? 'service_completed_successfully' : 'service_healthy',
        });
        if (!oneShot)
          expect({ dependency, healthcheck: Boolean(services[dependency]!.healthcheck?.test) }).toEqual({ dependency, healthcheck: true });
      }
    }
    for (const name of SERVICES)
      expect({ name, test: services[name]!.healthcheck?.test }).toEqual({ name, test: ['CMD', 'node', 'scripts/healthcheck.js'] });
    expect(Object.keys(services.gateway!.depends_on!)).toEqual(
      expect.arrayContaining(SERVICES.filter((n) => !/gateway|workers|sandbox/.test(n))),
    );
  });

  it('routes the gateway to the subgraphs by service name', () => {
    const urls = services.gateway!.environment!.SUBGRAPH_URLS!.split(',').map((pair) => pair.split('='));
    expect(Object.fromEntries(urls)).toEqual(
      Object.fromEntries(SERVICES.slice(2, 10).map((name) => [name, `http://${name}:4000/graphql`])),
    );
  });

  it('commits no secret but the local defaults it documents (compose-local keys, the demo passwords)', async () => {
    const text = await readFile(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8');
    const privateKeys = [...text.matchAll(/"kid":"([^"]+)"/g)].map((match) => match[1]);
    expect(new Set(privateKeys)).toEqual(new Set(['compose-local-auth', 'compose-local-credential']));
    expect(text).not.toMatch(/sk_live_|whsec_[A-Za-z0-9]{10,}/);
    expect(services.gateway!.environment!.GATEWAY_SECRET).toMatch(/not-for-production/);
  });
});
