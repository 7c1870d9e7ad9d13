import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { PERSISTED_DOCUMENTS } from '@academy/client-operations';
import { createGateway, scaledPolicy, type Gateway, type SubgraphFetchTuning } from '@academy/gateway';
import type { SubgraphService } from '@academy/graphql-http';
import { S3RVER_CREDENTIALS } from '@academy/devstack';
import { closeRedis, createLogger, createRedis, type Redis } from '@academy/platform';
import type { ObjectStorage } from '@academy/storage';
import { ConocerSandbox, type SandboxOptions } from '@academy/conocer-sandbox';
import { DEFAULT_SECRET_KEY, DEFAULT_WEBHOOK_SECRET, PaymentSandbox, type PaymentSandboxInit } from '@academy/payment-sandbox';
import { DEFAULT_TUNING, JobQueues, QUEUE_NAMES, queueConnectionOf, queuePrefixOf, type DeliveryTuning } from '@academy/jobs';
import { PaymentProvider, stripeClient } from '@academy/subgraph-commerce';
import { startWorkers, type RunningWorkers } from '@academy/workers';
import { jwksOf, loadRsaSigningKey, loadSigningKey, TokenVerifier, type ExternalIdentityProvider } from '@academy/tokens';
import { testEnvironment } from './environment';
import { startTestObjectStore, type TestObjectStoreOptions } from './object-store';
import { isolatedDatabase, openTestDatabase, type TestDatabase } from './fixtures';
import { httpRequest, type GraphQLResponse } from './http';
import { freePort } from './processes';
import { SUBGRAPH_NAMES, subgraphFactories, TEST_AUDIENCE, TEST_BASE_DOMAIN, TEST_ISSUER, type SubgraphName } from './subgraphs';

export const SUPERGRAPH_FILE = path.resolve(__dirname, '../../../supergraph.graphql');

export interface RequestOptions {
  variables?: Record<string, unknown>;
  token?: string;
  /** Tenant slug sent as X-Tenant (omit to name the tenant another way). */
  tenant?: string;
  headers?: Record<string, string>;
  /** Defaults to /graphql; e.g. /t/demo/graphql. */
  path?: string;
}

export interface ConocerOptions {
  sandbox?: Partial<SandboxOptions>;
  tuning?: Partial<DeliveryTuning>;
  timeoutMs?: number;
  breakerResetMs?: number;
  concurrency?: number;
  /** Jobs of a dead worker are taken over after this (and checked this often). */
  lockDurationMs?: number;
  /** Start the workers in this process (default); false to run them elsewhere. */
  workers?: boolean;
}

/** Email from the workers: where they send it (a MailDev of the test) and how fast they retry. */
export interface MailOptions {
  smtpUrl: string;
  attempts?: number;
  backoffMs?: number;
  breakerResetMs?: number;
}

export interface RunningSupergraph {
  /** http://127.0.0.1:<port> of the gateway. */
  origin: string;
  /** Prefix of every Redis key (and BullMQ queue) of this supergraph. */
  redisPrefix: string;
  queues: JobQueues;
  sandbox: ConocerSandbox | null;
  sandboxUrl: string | null;
  /** The payment sandbox commerce pays through (Stripe's API), its webhooks sent to the gateway's /webhooks/stripe. */
  payments: PaymentSandbox;
  paymentsUrl: string;
  workers: RunningWorkers | null;
  /** The workers, in this process (when `conocer.workers` was false). */
  startWorkers(options?: { lockDurationMs?: number }): Promise<RunningWorkers>;
  /** Environment for a workers process on this supergraph's database, Redis and sandbox. */
  workerEnvironment(): Record<string, string>;
  /** Environment for a gateway process in front of this supergraph's subgraphs (a replica). */
  gatewayEnvironment(port: number): Record<string, string>;
  subgraphUrls: Record<string, string>;
  /** Stops one subgraph's server (drained, as its process stops on SIGTERM): nothing listens at its URL until startSubgraph. */
  stopSubgraph(name: SubgraphName): Promise<void>;
  /** Builds the subgraph anew and serves it at its URL again (the same port). */
  startSubgraph(name: SubgraphName): Promise<void>;
  gatewaySecret: string;
  db: TestDatabase;
  gateway: Gateway;
  /** The gateway's Redis connection in subscriber mode (the live events arrive on it). */
  gatewaySubscriber: Redis;
  redis: Redis;
  /** The object storage of the media subgraph and the workers (an s3rver of this supergraph). */
  storage: ObjectStorage;
  /**
   * SQL statements sent to PostgreSQL by every subgraph since the last reset: how many, and their
   * texts in order (kept once reset() was called, the last 10,000).
   */
  statements: { count: number; texts: string[]; reset(): void };
  /** Statements sent to the read replica (`database.readUrl`) since the last reset. */
  replicaStatements: { count: number; reset(): void };
  /** Log lines of every service, parsed (with `captureLogs`). */
  logs: Record<string, unknown>[];
  /** HTTP requests the subgraphs received since the last reset. */
  subgraphRequests: { count: number; reset(): void };
  request<T = Record<string, unknown>>(query: string, options?: RequestOptions): Promise<GraphQLResponse<T>>;
  /** A token for a seeded or fixture account, through the real login mutation. */
  login(email: string, password: string, tenant: string): Promise<string>;
  close(): Promise<void>;
}

const LOGIN_DOCUMENT = [...PERSISTED_DOCUMENTS.values()].find((document) => document.startsWith('mutation Login('))!;

/** The whole supergraph, over real HTTP on ephemeral ports, on the run's database and Redis. */
export async function startSupergraph(
  options: {
    external?: ExternalIdentityProvider;
    production?: boolean;
    without?: SubgraphName[];
    supergraphFile?: string;
    /** A database of its own (a copy of the seeded template): needed when the workers run. */
    isolated?: boolean;
    /** A CONOCER sandbox and the workers, in this process. */
    conocer?: ConocerOptions;
    /** The workers (and a CONOCER sandbox) in this process, sending email to this SMTP server. */
    mail?: MailOptions;
    /** The media subgraph's upload and download URL lifetimes. */
    uploads?: TestObjectStoreOptions;
    /** Proxies in front of the gateway whose X-Forwarded-For it believes (a test's clients then name their address). */
    trustedProxies?: number;
    /**
     * Every rate-limit budget multiplied by this. Default 100: tests that are not about rate
     * limits log in and query far faster than people do.
     */
    rateLimitScale?: number;
    /** Where the gateway counts rate limits (default: the run's Redis). */
    rateLimitRedis?: Redis;
    /** Deadline, pool and breaker of the gateway's subgraph requests. */
    subgraphFetch?: SubgraphFetchTuning;
    /** Send a subgraph's requests to this URL instead (a server that hangs, say). */
    subgraphUrlOverrides?: Partial<Record<SubgraphName, string>>;
    /** Keep every log line (level info and up) in `logs` instead of discarding them. */
    captureLogs?: boolean;
    /** The payment sandbox's options (faults, webhook retries). */
    payments?: PaymentSandboxInit;
    /**
     * The apps' links and the payment provider's return URL point at this gateway's web app
     * (`<origin>/t/<tenant>`) instead of the tenants' hosts: a browser journey comes back from
     * checkout to the app it left.
     */
    appAtGateway?: boolean;
    /** Another Redis than the run's (REDIS_URL): a Redis Cluster (`redis+cluster://…`) of the test's, say. */
    redisUrl?: string;
    /**
     * Another database than the run's (owner URL; migrated and seeded), and a read replica of it
     * as the services' role (`startReplicatedPostgres`): the subgraphs read lag-tolerant data there.
     */
    database?: { ownerUrl: string; readUrl?: string };
  } = {},
): Promise<RunningSupergraph> {
  const environment = testEnvironment();
  const logs: Record<string, unknown>[] = [];
  const logger = options.captureLogs
    ? createLogger({
        service: 'test',
        level: 'info',
        destination: { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) },
      })
    : createLogger({ service: 'test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  // Texts only for a test that asked (it resets first), and a bounded number of them.
  let recording = false;
  const counter = {
    count: 0,
    texts: [] as string[],
    reset: () => {
      recording = true;
      counter.count = 0;
      counter.texts = [];
    },
  };
  const rateLimitScale = options.rateLimitScale ?? 100;
  const replicaCounter = { count: 0, reset: () => (replicaCounter.count = 0) };
  const own = options.isolated && !options.database ? await isolatedDatabase() : null;
  const ownerUrl = options.database?.ownerUrl ?? own?.ownerUrl;
  const db = openTestDatabase({
    poolSize: 8,
    onStatement: (text) => {
      counter.count += 1;
      if (!recording) return;
      counter.texts.push(text);
      if (counter.texts.length > 10_000) counter.texts.splice(0, 1_000);
    },
    ...(ownerUrl ? { ownerUrl } : {}),
    ...(options.database?.readUrl ? { readUrl: options.database.readUrl, onReadStatement: () => (replicaCounter.count += 1) } : {}),
  });
  const prefix = `academy:test:${environment.TEST_RUN_ID}:${randomBytes(3).toString('hex')}:`;
  const redisUrl = options.redisUrl ?? environment.REDIS_URL;
  const redis = createRedis(redisUrl, { name: 'test-gateway', maxRetriesPerRequest: 1 });
  const queueConnection = queueConnectionOf(redisUrl);
  const tuning: DeliveryTuning = {
    ...DEFAULT_TUNING,
    submitAttempts: 8,
    backoffMs: 50,
    pollMs: 50,
    pollMaxMs: 400,
    ...options.conocer?.tuning,
  };
  const queues = new JobQueues(queueConnection, queuePrefixOf(prefix), tuning);
  const syncEvents = queues.events(QUEUE_NAMES.standardsSync);
  const secret = environment.TEST_GATEWAY_SECRET;
  const objects = await startTestObjectStore(options.uploads);
  const authKey = await loadSigningKey(environment.TEST_AUTH_SIGNING_KEY);
  const credentialKeys = [
    await loadSigningKey(environment.TEST_CREDENTIAL_SIGNING_KEY),
    await loadRsaSigningKey(environment.TEST_CREDENTIAL_RSA_SIGNING_KEY),
  ];
  // Webhooks retried quickly: tests wait for them.
  const payments = new PaymentSandbox({
    ...options.payments,
    webhooks: { attempts: 5, backoffMs: 200, timeoutMs: 5_000, ...options.payments?.webhooks },
  });
  const paymentsUrl = await payments.listen(0);
  // Without workers nobody runs a standards sync job: do not wait for it long.
  // The gateway's port is chosen first when the subgraphs must know its address.
  const gatewayPort = options.appAtGateway ? await freePort() : 0;
  const factories = await subgraphFactories({
    ...(options.appAtGateway ? { appUrl: `http://127.0.0.1:${gatewayPort}/t/{tenant}` } : {}),
    payments: { secretKey: DEFAULT_SECRET_KEY, apiUrl: paymentsUrl, webhookSecret: DEFAULT_WEBHOOK_SECRET },
    db,
    redis,
    redisPrefix: prefix,
    queues,
    standardsSyncEvents: syncEvents,
    standardsSyncWaitMs: options.conocer ? 15_000 : 300,
    storage: objects.storage,
    logger,
  });
  const subgraphs = new Map<SubgraphName, SubgraphService<never>>();
  const subgraphRequests = { count: 0, reset: () => (subgraphRequests.count = 0) };
  const subgraphUrls: Record<string, string> = {};
  const serveSubgraph = async (name: SubgraphName, port: number) => {
    const service = await factories[name]();
    service.httpServer.on('request', () => (subgraphRequests.count += 1));
    subgraphs.set(name, service);
    subgraphUrls[name] = await service.listen(port);
  };
  for (const name of SUBGRAPH_NAMES) {
    if (options.without?.includes(name)) {
      subgraphUrls[name] = 'http://127.0.0.1:9/graphql'; // nothing listens there
      continue;
    }
    await serveSubgraph(name, 0);
  }
  const newGateway = async (port = 0) => {
    const subscriber = createRedis(redisUrl, { name: 'test-gateway-subscriber', maxRetriesPerRequest: null });
    const gateway = await createGateway({
      prisma: db.database.prisma,
      redis,
      subscriber,
      redisPrefix: prefix,
      supergraphFile: options.supergraphFile ?? SUPERGRAPH_FILE,
      subgraphUrls: { ...subgraphUrls, ...options.subgraphUrlOverrides },
      gatewaySecret: secret,
      verifier: new TokenVerifier(jwksOf([authKey]), { issuer: TEST_ISSUER, audience: TEST_AUDIENCE }, options.external),
      jwks: jwksOf([authKey, ...credentialKeys]),
      credentialJwks: jwksOf(credentialKeys),
      baseDomain: TEST_BASE_DOMAIN,
      webAppStorageOrigins: [objects.url],
      production: options.production ?? false,
      rateLimits: scaledPolicy(rateLimitScale),
      ...(options.trustedProxies ? { trustedProxies: options.trustedProxies } : {}),
      ...(options.subgraphFetch ? { subgraphFetch: options.subgraphFetch } : {}),
      ...(options.rateLimitRedis ? { rateLimitRedis: options.rateLimitRedis } : {}),
      logger,
    });
    const origin = new URL(await gateway.listen(port)).origin;
    return {
      origin,
      gateway,
      subscriber,
      async close() {
        await gateway.close();
        await closeRedis(subscriber);
      },
    };
  };
  const main = await newGateway(gatewayPort);
  const { gateway, origin } = main;
  payments.addWebhookEndpoint({ url: `${origin}/webhooks/stripe`, secret: DEFAULT_WEBHOOK_SECRET });

  let sandbox: ConocerSandbox | null = null;
  let sandboxUrl: string | null = null;
  let workers: RunningWorkers | null = null;
  const launchWorkers = async (lockDurationMs: number) =>
    startWorkers({
      workerId: `test-${process.pid}-${randomBytes(2).toString('hex')}`,
      database: db.database,
      pool: db.client.pool,
      databaseUrl: db.appUrl,
      redis,
      queueConnection,
      redisPrefix: prefix,
      conocer: {
        baseUrl: sandboxUrl!,
        clientId: sandbox!.options.clientId,
        clientSecret: sandbox!.options.clientSecret,
        timeoutMs: conocer?.timeoutMs ?? 2_000,
        breakerResetMs: conocer?.breakerResetMs ?? 1_000,
      },
      tuning,
      concurrency: conocer?.concurrency ?? 10,
      lockDurationMs,
      stalledIntervalMs: lockDurationMs,
      reconcile: { everyMs: 60_000, pendingOlderThanMs: 60_000, polledOlderThanMs: 60_000 },
      suspendedRecheckMs: 200,
      standardsSyncPattern: '0 3 * * *',
      schedule: false,
      storage: objects.storage,
      email: options.mail
        ? {
            smtpUrl: options.mail.smtpUrl,
            from: 'MADFAM Academy <no-reply@academy.test>',
            appUrl: `https://{tenant}.${TEST_BASE_DOMAIN}`,
            attempts: options.mail.attempts ?? 30,
            backoffMs: options.mail.backoffMs ?? 100,
            timeoutMs: 2_000,
            breakerResetMs: options.mail.breakerResetMs ?? 500,
          }
        : null,
      // The supergraph's payment sandbox, as commerce has it (the order reconciliation asks it).
      payments: new PaymentProvider(
        stripeClient({ secretKey: DEFAULT_SECRET_KEY, apiUrl: paymentsUrl, webhookSecret: DEFAULT_WEBHOOK_SECRET }, 3_000),
        DEFAULT_WEBHOOK_SECRET,
      ),
      logger,
    });
  // Workers run with CONOCER (and its sandbox) or email; their other queues run either way.
  const conocer = options.conocer ?? (options.mail ? {} : undefined);
  if (conocer) {
    sandbox = new ConocerSandbox({ reviewAfterMs: 150, decisionAfterMs: 400, ...conocer.sandbox });
    sandboxUrl = await sandbox.listen(0);
    if (conocer.workers !== false) workers = await launchWorkers(conocer.lockDurationMs ?? 30_000);
  }

  const request = async <T>(query: string, requestOptions: RequestOptions = {}): Promise<GraphQLResponse<T>> => {
    const response = await httpRequest(`${origin}${requestOptions.path ?? '/graphql'}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(requestOptions.tenant ? { 'x-tenant': requestOptions.tenant } : {}),
        ...(requestOptions.token ? { authorization: `Bearer ${requestOptions.token}` } : {}),
        ...requestOptions.headers,
      },
      body: JSON.stringify({ query, variables: requestOptions.variables ?? {} }),
    });
    return { status: response.status, body: JSON.parse(response.text) as GraphQLResponse<T>['body'], headers: response.headers };
  };

  return {
    origin,
    redisPrefix: prefix,
    queues,
    sandbox,
    sandboxUrl,
    payments,
    paymentsUrl,
    get workers() {
      return workers;
    },
    async startWorkers(workerOptions = {}) {
      workers = await launchWorkers(workerOptions.lockDurationMs ?? 30_000);
      return workers;
    },
    workerEnvironment: () => ({
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      DATABASE_APP_URL: db.appUrl,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      GATEWAY_SECRET: secret,
      PORT: '0',
      CONOCER_URL: sandboxUrl ?? '',
      CONOCER_CLIENT_ID: sandbox?.options.clientId ?? '',
      CONOCER_CLIENT_SECRET: sandbox?.options.clientSecret ?? '',
      CONOCER_BACKOFF_MS: String(tuning.backoffMs),
      CONOCER_POLL_MS: String(tuning.pollMs),
      CONOCER_POLL_MAX_MS: String(tuning.pollMaxMs),
      S3_URL: objects.url,
      S3_BUCKET: objects.storage.bucket,
      S3_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      // Nothing listens there unless the supergraph sends email: emails wait, PENDING.
      SMTP_URL: options.mail?.smtpUrl ?? 'smtp://127.0.0.1:9',
      APP_URL: `https://{tenant}.${TEST_BASE_DOMAIN}`,
      // The supergraph's payment sandbox (no STRIPE_SECRET_KEY: its well-known key).
      STRIPE_API_URL: paymentsUrl,
      STRIPE_WEBHOOK_SECRET: DEFAULT_WEBHOOK_SECRET,
    }),
    gatewayEnvironment: (port) => ({
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      DATABASE_APP_URL: db.appUrl,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      GATEWAY_SECRET: secret,
      PORT: String(port),
      HOST: '127.0.0.1',
      SUBGRAPH_URLS: Object.entries(subgraphUrls)
        .map(([name, url]) => `${name}=${url}`)
        .join(','),
      AUTH_JWKS: JSON.stringify(jwksOf([authKey])),
      CREDENTIAL_JWKS: JSON.stringify(jwksOf(credentialKeys)),
      AUTH_ISSUER: TEST_ISSUER,
      AUTH_AUDIENCE: TEST_AUDIENCE,
      BASE_DOMAIN: TEST_BASE_DOMAIN,
      RATE_LIMIT_SCALE: String(rateLimitScale),
    }),
    subgraphUrls,
    async stopSubgraph(name) {
      const service = subgraphs.get(name);
      subgraphs.delete(name);
      await service?.close();
    },
    async startSubgraph(name) {
      if (subgraphs.has(name) || options.without?.includes(name)) return;
      await serveSubgraph(name, Number(new URL(subgraphUrls[name]!).port));
    },
    gatewaySecret: secret,
    db,
    gateway,
    gatewaySubscriber: main.subscriber,
    redis,
    storage: objects.storage,
    statements: counter,
    replicaStatements: replicaCounter,
    subgraphRequests,
    logs,
    request,
    async login(email, password, tenant) {
      // The apps' own Login document: it runs on every tenant, persisted documents enforced or not.
      const response = await request<{ login: { token: string } }>(LOGIN_DOCUMENT, { variables: { email, password }, tenant });
      if (!response.body.data?.login) throw new Error(`login of ${email} failed: ${JSON.stringify(response.body.errors)}`);
      return response.body.data.login.token;
    },
    async close() {
      await workers?.stop();
      await sandbox?.close();
      await payments.close();
      await main.close();
      for (const service of subgraphs.values()) await service.close();
      await syncEvents.close();
      await queues.close();
      // A Cluster's queue connection is ours (BullMQ only shares it).
      if (typeof queueConnection === 'object' && 'disconnect' in queueConnection) await closeRedis(queueConnection as Redis);
      await closeRedis(redis);
      await objects.stop();
      await db.close();
      await own?.drop();
    },
  };
}
