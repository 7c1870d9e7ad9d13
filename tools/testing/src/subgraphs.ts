import { randomBytes } from 'node:crypto';
import { CredentialSigner } from '@academy/credentials';
import type { SubgraphService } from '@academy/graphql-http';
import { DEFAULT_TUNING, JobQueues, QUEUE_NAMES, queueConnectionOf, queuePrefixOf } from '@academy/jobs';
import {
  closeRedis,
  createLogger,
  createRedis,
  signForwardedContext,
  type Logger,
  type Redis,
  type Tenant,
  type TenantRef,
  type Viewer,
} from '@academy/platform';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { ruleCoverage, type RuleCoverage } from '@academy/permissions';
import * as certifications from '@academy/subgraph-certifications';
import * as commerce from '@academy/subgraph-commerce';
import * as conocer from '@academy/subgraph-conocer';
import * as courses from '@academy/subgraph-courses';
import * as impact from '@academy/subgraph-impact';
import * as media from '@academy/subgraph-media';
import * as notifications from '@academy/subgraph-notifications';
import * as users from '@academy/subgraph-users';
import type { ObjectStorage } from '@academy/storage';
import { loadSigningKey, TokenIssuer } from '@academy/tokens';
import { testEnvironment } from './environment';
import { startTestObjectStore, type TestObjectStoreOptions } from './object-store';
import { openTestDatabase, type TestDatabase } from './fixtures';
import { httpRequest, type GraphQLResponse } from './http';

export const TEST_ISSUER = 'https://academy.test';
export const TEST_AUDIENCE = 'madfam-academy';
export const TEST_BASE_DOMAIN = 'academy.test';

export const SUBGRAPH_NAMES = ['users', 'courses', 'certifications', 'conocer', 'impact', 'notifications', 'media', 'commerce'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

/** What the subgraphs are built from in tests: the run's database, Redis and keys. */
export interface SubgraphParts {
  db: TestDatabase;
  redis: Redis;
  redisPrefix: string;
  queues: JobQueues;
  standardsSyncEvents: ReturnType<JobQueues['events']>;
  /** How long standards sync waits for a worker (none may run). */
  standardsSyncWaitMs: number;
  /** Object storage (an s3rver of the test, or S3_URL's). */
  storage: ObjectStorage;
  /** Where commerce's payments go (a payment sandbox of the test; nowhere when the test has none). */
  payments?: commerce.PaymentSettings;
  /** The apps' address (`{tenant}` in it) for links and the payment provider's return URL. */
  appUrl?: string;
  logger: Logger;
}

/** Payments that go nowhere: a subgraph started alone, without a sandbox (checkouts answer UPSTREAM_UNAVAILABLE). */
const NO_PAYMENTS: commerce.PaymentSettings = {
  secretKey: commerce.SANDBOX_SECRET_KEY,
  apiUrl: 'http://127.0.0.1:9',
  webhookSecret: commerce.SANDBOX_WEBHOOK_SECRET,
};

/** Each subgraph built as its process builds it, on the test's parts. */
export async function subgraphFactories(parts: SubgraphParts): Promise<Record<SubgraphName, () => Promise<SubgraphService<never>>>> {
  const environment = testEnvironment();
  const authKey = await loadSigningKey(environment.TEST_AUTH_SIGNING_KEY);
  const credentials = await CredentialSigner.load(environment.TEST_CREDENTIAL_SIGNING_KEY, environment.TEST_CREDENTIAL_RSA_SIGNING_KEY);
  const common = { database: parts.db.database, gatewaySecret: environment.TEST_GATEWAY_SECRET, logger: parts.logger };
  return {
    users: () =>
      users.createUsersSubgraph({
        ...common,
        redis: parts.redis,
        redisPrefix: parts.redisPrefix,
        tokens: new TokenIssuer(authKey, { issuer: TEST_ISSUER, audience: TEST_AUDIENCE, ttlSeconds: 900 }),
      }) as never,
    courses: () => courses.createCoursesSubgraph({ ...common, credentials, baseDomain: TEST_BASE_DOMAIN }) as never,
    certifications: () =>
      certifications.createCertificationsSubgraph({
        ...common,
        storage: parts.storage,
        appUrl: parts.appUrl ?? `https://{tenant}.${TEST_BASE_DOMAIN}`,
        credentials,
        baseDomain: TEST_BASE_DOMAIN,
      }) as never,
    conocer: () =>
      conocer.createConocerSubgraph({
        ...common,
        circuit: new conocer.CircuitBoard(parts.redis, parts.redisPrefix),
        standardCache: new conocer.StandardCache(parts.redis, parts.redisPrefix),
        standardsSync: new conocer.QueuedStandardsSync(parts.queues, parts.standardsSyncEvents, parts.logger, parts.standardsSyncWaitMs),
      }) as never,
    impact: () => impact.createImpactSubgraph(common) as never,
    notifications: () => notifications.createNotificationsSubgraph(common) as never,
    media: () => media.createMediaSubgraph({ ...common, storage: parts.storage }) as never,
    commerce: () => {
      const settings = parts.payments ?? NO_PAYMENTS;
      const payments = new commerce.PaymentProvider(commerce.stripeClient(settings, 3_000), settings.webhookSecret);
      return commerce.createCommerceSubgraph({
        ...common,
        payments,
        orderPayments: new commerce.OrderPayments(parts.db.database, payments, parts.logger),
        appUrl: parts.appUrl ?? `https://{tenant}.${TEST_BASE_DOMAIN}`,
      }) as never;
    },
  };
}

/** How a request reaches a subgraph: signed by the gateway (the default), unsigned, or with a forged signature. */
export type Signature = 'gateway' | 'none' | 'forged';

export interface SubgraphRequestOptions {
  variables?: Record<string, unknown>;
  tenant: Pick<Tenant, 'id' | 'slug' | 'name' | 'tier'>;
  /** The signed-in user (absent: anonymous). */
  viewer?: { id: string; tenantId: string; persona: Viewer['persona'] } | null;
  signature?: Signature;
  /** The client's address, as a gateway forwards it. */
  clientAddress?: string;
}

/** Each subgraph's schema and rule tree, as it exports them. */
const SUBGRAPHS = { users, courses, certifications, conocer, impact, notifications, media, commerce } satisfies Record<
  SubgraphName,
  { typeDefs: unknown; permissions: unknown }
>;

export interface RunningSubgraph {
  name: SubgraphName;
  url: string;
  service: SubgraphService<never>;
  db: TestDatabase;
  /** The object storage it was built with (its own s3rver). */
  storage: ObjectStorage;
  /** A GraphQL request over HTTP, as the gateway sends it (forwarded tenant and viewer, signed). */
  request<T = Record<string, unknown>>(query: string, options: SubgraphRequestOptions): Promise<GraphQLResponse<T>>;
  /** What it answers to callers who bypass the gateway (`GATEWAY_BOUNDARY` for every subgraph). */
  boundary(tenant: SubgraphRequestOptions['tenant']): ReturnType<typeof gatewayBoundary>;
  /** What its rule tree leaves out of its schema (nothing, for every subgraph). */
  ruleCoverage(): RuleCoverage;
  close(): Promise<void>;
}

/** One subgraph over real HTTP on an ephemeral port, on the run's database and Redis, without a gateway. */
export async function startSubgraph(name: SubgraphName, options: TestObjectStoreOptions = {}): Promise<RunningSubgraph> {
  const environment = testEnvironment();
  const db = openTestDatabase();
  const redis = createRedis(environment.REDIS_URL, { name: `test-subgraph-${name}`, maxRetriesPerRequest: 1 });
  const redisPrefix = `academy:test:${environment.TEST_RUN_ID}:${randomBytes(3).toString('hex')}:`;
  const queues = new JobQueues(queueConnectionOf(environment.REDIS_URL), queuePrefixOf(redisPrefix), DEFAULT_TUNING);
  const standardsSyncEvents = queues.events(QUEUE_NAMES.standardsSync);
  const logger = createLogger({ service: name, level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const objects = await startTestObjectStore(options);
  const factories = await subgraphFactories({
    db,
    redis,
    redisPrefix,
    queues,
    standardsSyncEvents,
    standardsSyncWaitMs: 300,
    storage: objects.storage,
    logger,
  });
  const service = await factories[name]();
  const url = await service.listen(0);
  const running: RunningSubgraph = {
    name,
    url,
    service,
    db,
    storage: objects.storage,
    boundary: (tenant) => gatewayBoundary(running, tenant),
    ruleCoverage: () =>
      ruleCoverage(buildSubgraphSchema([{ typeDefs: SUBGRAPHS[name].typeDefs }]), SUBGRAPHS[name].permissions as Record<string, unknown>),
    async request<T>(query: string, options: SubgraphRequestOptions): Promise<GraphQLResponse<T>> {
      const tenant: TenantRef = { id: options.tenant.id, slug: options.tenant.slug, name: options.tenant.name, tier: options.tenant.tier };
      const viewer = options.viewer
        ? { userId: options.viewer.id, tenantId: options.viewer.tenantId, persona: options.viewer.persona }
        : null;
      const signature = options.signature ?? 'gateway';
      const signed =
        signature === 'none'
          ? {}
          : signForwardedContext(signature === 'forged' ? `${environment.TEST_GATEWAY_SECRET}-forged` : environment.TEST_GATEWAY_SECRET, {
              tenant,
              viewer,
              ...(options.clientAddress ? { clientAddress: options.clientAddress } : {}),
            });
      const response = await httpRequest(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signed },
        body: JSON.stringify({ query, variables: options.variables ?? {} }),
      });
      const body = JSON.parse(response.text) as GraphQLResponse<T>['body'] & { errors?: { locations?: unknown }[] };
      // Positions in the gateway's query plan document: the gateway drops them too.
      for (const error of body.errors ?? []) delete error.locations;
      return { status: response.status, body, headers: response.headers };
    },
    async close() {
      await service.close();
      await standardsSyncEvents.close();
      await queues.close();
      await closeRedis(redis);
      await objects.stop();
      await db.close();
    },
  };
  return running;
}

/** What a subgraph answers to requests that did not come through the gateway, and whether it serves its SDL to one that did. */
export async function gatewayBoundary(subgraph: RunningSubgraph, tenant: SubgraphRequestOptions['tenant']) {
  const ask = (signature: Signature) => subgraph.request<{ _service: { sdl: string } }>('{ _service { sdl } }', { tenant, signature });
  const [unsigned, forged, signed] = await Promise.all([ask('none'), ask('forged'), ask('gateway')]);
  return {
    unsigned: { status: unsigned.status, body: unsigned.body },
    forged: { status: forged.status, body: forged.body },
    signedServesSdl: signed.status === 200 && (signed.body.data?._service.sdl ?? '').includes('type Query'),
  };
}

/** `gatewayBoundary` of every subgraph: nothing for a caller who bypasses the gateway. */
export const GATEWAY_BOUNDARY = {
  unsigned: {
    status: 401,
    body: { errors: [{ message: 'Requests must come through the gateway', extensions: { code: 'UNAUTHENTICATED' } }] },
  },
  forged: { status: 401, body: { errors: [{ message: 'Invalid or expired gateway signature', extensions: { code: 'UNAUTHENTICATED' } }] } },
  signedServesSdl: true,
};
