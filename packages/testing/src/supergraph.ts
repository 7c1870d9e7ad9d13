import { randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { CredentialSigner } from '@academy/credentials';
import { createGateway, type Gateway } from '@academy/gateway';
import type { SubgraphService } from '@academy/graphql-http';
import { closeRedis, createLogger, createRedis, type Redis } from '@academy/platform';
import { createCertificationsSubgraph } from '@academy/subgraph-certifications';
import { createConocerSubgraph } from '@academy/subgraph-conocer';
import { createCoursesSubgraph } from '@academy/subgraph-courses';
import { createImpactSubgraph } from '@academy/subgraph-impact';
import { createUsersSubgraph } from '@academy/subgraph-users';
import { jwksOf, loadSigningKey, TokenIssuer, TokenVerifier, type ExternalIdentityProvider } from '@academy/tokens';
import { testEnvironment } from './environment';
import { openTestDatabase, type TestDatabase } from './fixtures';

export const TEST_ISSUER = 'https://academy.test';
export const TEST_AUDIENCE = 'madfam-academy';
export const TEST_BASE_DOMAIN = 'academy.test';
export const SUPERGRAPH_FILE = path.resolve(__dirname, '../../../supergraph.graphql');

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  body: { data?: T | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };
  headers: http.IncomingHttpHeaders;
}

/** HTTP with every header under the caller's control (fetch will not send a Host of our choosing). */
export function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; text: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: response.headers }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

export interface RequestOptions {
  variables?: Record<string, unknown>;
  token?: string;
  /** Tenant slug sent as X-Tenant (omit to name the tenant another way). */
  tenant?: string;
  headers?: Record<string, string>;
  /** Defaults to /graphql; e.g. /t/demo/graphql. */
  path?: string;
}

export interface RunningSupergraph {
  /** http://127.0.0.1:<port> of the gateway. */
  origin: string;
  subgraphUrls: Record<string, string>;
  gatewaySecret: string;
  db: TestDatabase;
  gateway: Gateway;
  redis: Redis;
  /** Statements sent to PostgreSQL by every subgraph since the last reset. */
  statements: { count: number; reset(): void };
  request<T = Record<string, unknown>>(query: string, options?: RequestOptions): Promise<GraphQLResponse<T>>;
  /** A token for a seeded or fixture account, through the real login mutation. */
  login(email: string, password: string, tenant: string): Promise<string>;
  close(): Promise<void>;
}

export const SUBGRAPH_NAMES = ['users', 'courses', 'certifications', 'conocer', 'impact'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

/** The whole supergraph, over real HTTP on ephemeral ports, on the run's database and Redis. */
export async function startSupergraph(
  options: { external?: ExternalIdentityProvider; production?: boolean; without?: SubgraphName[]; supergraphFile?: string } = {},
): Promise<RunningSupergraph> {
  const environment = testEnvironment();
  const logger = createLogger({ service: 'test', level: 'silent' });
  const counter = { count: 0, reset: () => (counter.count = 0) };
  const db = openTestDatabase({ poolSize: 8, onStatement: () => (counter.count += 1) });
  const secret = environment.TEST_GATEWAY_SECRET;
  const authKey = await loadSigningKey(environment.TEST_AUTH_SIGNING_KEY);
  const credentialKey = await loadSigningKey(environment.TEST_CREDENTIAL_SIGNING_KEY);
  const common = { database: db.database, gatewaySecret: secret, logger };
  const factories: Record<SubgraphName, () => Promise<SubgraphService<never>>> = {
    users: () => createUsersSubgraph({ ...common, tokens: new TokenIssuer(authKey, { issuer: TEST_ISSUER, audience: TEST_AUDIENCE, ttlSeconds: 3600 }) }) as never,
    courses: () => createCoursesSubgraph({ ...common, credentials: new CredentialSigner(credentialKey), baseDomain: TEST_BASE_DOMAIN }) as never,
    certifications: () => createCertificationsSubgraph(common) as never,
    conocer: () => createConocerSubgraph({ ...common, circuit: { state: () => 'CLOSED' } }) as never,
    impact: () => createImpactSubgraph(common) as never,
  };
  const subgraphs: SubgraphService<never>[] = [];
  const subgraphUrls: Record<string, string> = {};
  for (const name of SUBGRAPH_NAMES) {
    if (options.without?.includes(name)) {
      subgraphUrls[name] = 'http://127.0.0.1:9/graphql'; // nothing listens there
      continue;
    }
    const service = await factories[name]();
    subgraphs.push(service);
    subgraphUrls[name] = await service.listen(0);
  }
  const prefix = `academy:test:${environment.TEST_RUN_ID}:${randomBytes(3).toString('hex')}:`;
  const redis = createRedis(environment.REDIS_URL, { name: 'test-gateway', maxRetriesPerRequest: 1 });
  const subscriber = createRedis(environment.REDIS_URL, { name: 'test-gateway-subscriber', maxRetriesPerRequest: null });
  const gateway = await createGateway({
    prisma: db.database.prisma,
    redis,
    subscriber,
    redisPrefix: prefix,
    supergraphFile: options.supergraphFile ?? SUPERGRAPH_FILE,
    subgraphUrls,
    gatewaySecret: secret,
    verifier: new TokenVerifier(jwksOf([authKey]), { issuer: TEST_ISSUER, audience: TEST_AUDIENCE }, options.external),
    jwks: jwksOf([authKey, credentialKey]),
    baseDomain: TEST_BASE_DOMAIN,
    production: options.production ?? false,
    logger,
  });
  const url = await gateway.listen(0);
  const origin = new URL(url).origin;

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
    subgraphUrls,
    gatewaySecret: secret,
    db,
    gateway,
    redis,
    statements: counter,
    request,
    async login(email, password, tenant) {
      const response = await request<{ login: { token: string } }>(
        'mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { token } }',
        { variables: { email, password }, tenant },
      );
      if (!response.body.data?.login) throw new Error(`login of ${email} failed: ${JSON.stringify(response.body.errors)}`);
      return response.body.data.login.token;
    },
    async close() {
      await gateway.close();
      for (const service of subgraphs) await service.close();
      await Promise.all([closeRedis(redis), closeRedis(subscriber)]);
      await db.close();
    },
  };
}
