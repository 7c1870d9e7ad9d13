import { appUrlFor, isolatedDatabase, startServiceProcess, testEnvironment, type GatewayProcess } from '@academy/testing';
import { generateSecrets } from '../src/dev-secrets';
import { freeBasePort, supergraphServices } from '../src/supergraph-services';

const STOP_WITHIN_MS = 5_000;

/**
 * The platform as deployed (NODE_ENV=production, the process specs `npm start` and the benchmarks
 * use): every process stops on SIGTERM by itself, as Kubernetes or Ctrl+C asks, with exit code 0.
 * (Under NODE_ENV=test, as the other tests run, Apollo Server leaves signals alone; here it would not.)
 */
describe("the platform's processes on SIGTERM", () => {
  let database: Awaited<ReturnType<typeof isolatedDatabase>>;
  const running = new Map<string, GatewayProcess>();
  beforeAll(async () => {
    database = await isolatedDatabase();
    const base = await freeBasePort();
    const specs = supergraphServices({
      nodeEnv: 'production',
      databaseAppUrl: appUrlFor(database.ownerUrl),
      redisUrl: testEnvironment().REDIS_URL,
      redisPrefix: `academy:shutdown-${process.pid}:`,
      secrets: await generateSecrets(),
      gatewayPort: base + 100,
      gatewayHost: '127.0.0.1',
      basePort: base,
      baseDomain: 'academy.test',
      // Nothing here sends email or stores a file: neither is reached.
      messaging: {
        smtpUrl: 'smtp://127.0.0.1:9',
        s3: { url: 'http://127.0.0.1:9', bucket: 'academy-test', region: 'us-east-1', accessKeyId: 'test', secretAccessKey: 'test' },
      },
      appUrl: 'https://{tenant}.academy.test',
    });
    const start = async (spec: (typeof specs)[number]) => {
      running.set(spec.name, await startServiceProcess(spec.entry, { ...spec.env, LOG_LEVEL: 'silent', PORT: String(spec.port) }));
    };
    // The gateway composes from the subgraphs: it starts once they answer.
    await Promise.all(specs.filter((spec) => spec.name !== 'gateway').map(start));
    await start(specs.find((spec) => spec.name === 'gateway')!);
  }, 120_000);
  afterAll(async () => {
    for (const service of running.values()) {
      try {
        process.kill(service.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await database?.drop();
  });

  it(`each exits with code 0 within ${STOP_WITHIN_MS / 1000} s`, async () => {
    const outcomes = await Promise.all(
      [...running].map(async ([name, service]) => {
        const timeout = new Promise<string>((resolve) =>
          setTimeout(() => resolve(`still running after ${STOP_WITHIN_MS} ms`), STOP_WITHIN_MS).unref(),
        );
        return [name, await Promise.race([service.close(), timeout])] as const;
      }),
    );
    expect(Object.fromEntries(outcomes)).toEqual({
      users: 0,
      courses: 0,
      certifications: 0,
      conocer: 0,
      impact: 0,
      notifications: 0,
      media: 0,
      commerce: 0,
      'conocer-sandbox': 0,
      'payment-sandbox': 0,
      workers: 0,
      gateway: 0,
    });
  });
});
