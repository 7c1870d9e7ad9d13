import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { GraphQLSchema } from 'graphql';
import type { Redis } from '@academy/platform';
import type { JWK } from 'jose';
import { drainHttpServer, executeGraphQL, HttpProblem, maskError, readJsonBody, sendError, sendJson } from '@academy/graphql-http';
import {
  databaseUnavailable,
  PublicError,
  TenantNotFoundError,
  UpstreamUnavailableError,
  type Logger,
  type PrismaClient,
} from '@academy/platform';
import type { TokenVerifier } from '@academy/tokens';
import { accessPlugin } from './auth/access-plugin';
import { ApiKeyDirectory } from './auth/api-key-directory';
import { authenticate } from './auth/authentication';
import { PrincipalDirectory } from './auth/principal-directory';
import { VerifiedTokens } from './auth/verified-tokens';
import { DC3_EXPORT, serveDc3Export } from './exports/dc3-export';
import { IMPACT_REPORT_EXPORT, serveImpactReportExport, type ExecuteOperation } from './exports/impact-report-export';
import { OPERATION_LIMITS, operationLimitRules, withoutSuggestions } from './security/operation-limits';
import { PersistedDocuments, UnlistedDocumentError, type DocumentPolicy } from './security/persisted-documents';
import {
  checkNotSubscription,
  checkPreflighted,
  checkSingleOperation,
  RequestRejected,
  withPersistedDocument,
} from './security/request-guards';
import { securityPlugin } from './security/security-plugin';
import type { GatewayContext } from './gateway-context';
import { LiveEvents } from './subscriptions/live-events';
import { LIVE_CHANNELS } from './subscriptions/live-fields';
import { attachSubscriptions, type SubscriptionServer } from './subscriptions/subscription-server';
import { ForwardedSigner, SignedDataSource } from './supergraph/signed-data-source';
import { SubgraphFetcher, type SubgraphFetchTuning } from './supergraph/subgraph-fetcher';
import { supergraphFromFile } from './supergraph/supergraph-file';
import { PERSISTED_DOCUMENTS } from '@academy/client-operations';
import { incomingContext, inSpan, operationTelemetry, ServiceMetrics, SpanKind, traceIdOf } from '@academy/telemetry';
import { responseCache } from './caching/response-cache';
import { credentialDocumentOf, CredentialDocuments } from './credentials/credential-documents';
import { GatewayMetrics } from './telemetry/metrics';
import { subgraphWaitPlugin } from './telemetry/subgraph-wait';
import { OperationBudgets } from './rate-limits/operation-budgets';
import { RATE_LIMITS, type RateLimitPolicy } from './rate-limits/rate-limit-policy';
import { rateLimitPlugin } from './rate-limits/rate-limit-plugin';
import { RateLimiter } from './rate-limits/rate-limiter';
import { clientAddress } from './security/client-address';
import { TenantDirectory } from './tenants/tenant-directory';
import { serveVerificationPage, verificationCodeOf } from './verification/verification-page';
import { forwardPaymentWebhook, PAYMENT_WEBHOOK_PATH } from './webhooks/payment-webhooks';
import { DEFAULT_WEB_APP_DIR, StaticWebApp } from './web-app/static-app';
import { exportName, isGraphQLPath, tenantOfRequest } from './tenants/tenant-resolution';

export interface GatewayOptions {
  prisma: PrismaClient;
  redis: Redis;
  /** A second connection for pub/sub (a subscribed connection does nothing else). */
  subscriber: Redis;
  redisPrefix: string;
  supergraphFile: string;
  /** Routing URLs that replace the supergraph's (by subgraph name). */
  subgraphUrls?: Record<string, string>;
  gatewaySecret: string;
  verifier: TokenVerifier;
  /** Public keys published at /.well-known/jwks.json (access tokens and certificates). */
  jwks: { keys: JWK[] };
  /** The certificate keys alone: each tenant's did:web document lists them. */
  credentialJwks: { keys: JWK[] };
  baseDomain: string;
  defaultTenant?: string | undefined;
  production: boolean;
  /** Which documents run (default: `enforce` in production, `allow` otherwise). */
  persistedDocuments?: DocumentPolicy;
  /** Budgets per tier (default RATE_LIMITS). */
  rateLimits?: RateLimitPolicy;
  /** Where budgets are counted (default `redis`). */
  rateLimitRedis?: Redis;
  /** Deadline, pool and breaker of subgraph requests (default SUBGRAPH_FETCH), and per subgraph. */
  subgraphFetch?: SubgraphFetchTuning;
  subgraphFetchOf?: Record<string, SubgraphFetchTuning>;
  /** Proxies in front of the gateway whose X-Forwarded-For entries are trusted (default 0). */
  trustedProxies?: number;
  /** In a cluster worker: the metrics of every worker (this one's registry joins them). */
  clusterMetrics?: () => Promise<string>;
  /** The built web app served at / and /t/<slug>/ (default apps/web/dist, when built; null: none). */
  webAppDir?: string | null;
  /** Object storage origins the web app's browsers upload to and download from (its CSP allows them). */
  webAppStorageOrigins?: readonly string[];
  logger: Logger;
}

export interface Gateway {
  httpServer: http.Server;
  /** This gateway's metrics (a cluster worker's join the primary's aggregate). */
  metrics: ServiceMetrics;
  tenants: TenantDirectory;
  events: LiveEvents;
  subscriptions: SubscriptionServer;
  listen(port: number, host?: string): Promise<string>;
  /** Readiness turns 503, subscribers get 1001, in-flight requests are answered (up to `drainMs`), then it stops. */
  close(drainMs?: number): Promise<void>;
}

const STATUS_OF_CODE: Record<string, number> = {
  UNAUTHENTICATED: 401,
  TENANT_MISMATCH: 403,
  FORBIDDEN: 403,
  TENANT_NOT_FOUND: 404,
  TENANT_SUSPENDED: 403,
  UPSTREAM_UNAVAILABLE: 503,
};

/**
 * The public entry: one /graphql (and /t/<slug>/graphql) for every client. Resolves the tenant,
 * verifies the token, forwards both signed to the subgraphs through Apollo Gateway, masks errors.
 */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const { logger } = options;
  const tenants = new TenantDirectory(options.prisma, options.redis, options.subscriber, options.redisPrefix, logger);
  await tenants.start();
  const principals = new PrincipalDirectory(options.prisma, options.redis, options.subscriber, options.redisPrefix, logger);
  await principals.start();
  const apiKeys = new ApiKeyDirectory(options.prisma, options.redis, options.subscriber, options.redisPrefix, logger);
  await apiKeys.start();
  const serviceMetrics = new ServiceMetrics('gateway');
  const metrics = new GatewayMetrics(serviceMetrics.registry);
  const supergraph = federatedGateway(options, metrics);
  const limitRules = (transport: 'http' | 'ws') => operationLimitRules((reason) => metrics.reject(reason, transport));
  const documents = new PersistedDocuments(
    PERSISTED_DOCUMENTS,
    options.persistedDocuments ?? (options.production ? 'enforce' : 'allow'),
    metrics,
  );
  const budgets = new OperationBudgets(
    new RateLimiter(options.rateLimitRedis ?? options.redis, options.redisPrefix, metrics, logger),
    options.rateLimits ?? RATE_LIMITS,
  );
  const server = await graphqlServer(options, supergraph.gateway, {
    metrics,
    serviceMetrics,
    documents,
    budgets,
    validationRules: limitRules('http'),
  });
  const contextFor = contextResolver(options, tenants, new VerifiedTokens(options.verifier), principals, apiKeys);

  let closing: Promise<void> | null = null;
  let draining = false;
  /** What the gateway needs to serve: the database (tenants), Redis (limits, events) and a supergraph; and not be stopping. */
  async function readiness(): Promise<Record<'database' | 'redis' | 'supergraph' | 'accepting', 'ok' | string>> {
    const [database, redis] = await Promise.all([
      options.prisma.$queryRaw`SELECT 1`.then(
        () => 'ok',
        () => 'unreachable',
      ),
      options.redis.ping().then(
        () => 'ok',
        () => 'unreachable',
      ),
    ]);
    return { database, redis, supergraph: supergraph.apiSchema() ? 'ok' : 'not loaded', accepting: draining ? 'draining' : 'ok' };
  }
  const handle = requestHandler(options, {
    server,
    serviceMetrics,
    metrics,
    documents,
    contextFor,
    readiness,
    commerceUrl: () => supergraph.routingUrl('commerce'),
    credentialDocuments: new CredentialDocuments(options.baseDomain, options.credentialJwks.keys, options.gatewaySecret, () =>
      supergraph.routingUrl('certifications'),
    ),
  });
  const httpServer = http.createServer((req, res) => void handle(req, res));
  httpServer.keepAliveTimeout = 65_000;

  const events = new LiveEvents(options.subscriber, options.redisPrefix, LIVE_CHANNELS, logger);
  await events.start();
  const subscriptions = attachSubscriptions({
    httpServer,
    apiSchema: supergraph.apiSchema,
    server,
    events,
    resolveContext: (request, params) => contextFor(request, new URL(request.url ?? '/', 'http://gateway').pathname, params),
    validationRules: limitRules('ws'),
    maxTokens: OPERATION_LIMITS.maxTokens,
    onTokenLimit: () => metrics.reject('tokens', 'ws'),
    documents,
    admit: (context, schema, document, operation, variables) => budgets.admit(context, schema, document, operation, variables),
    accessChanges: principals,
    tenantChanges: tenants,
    logger,
  });
  metrics.observeSubscriptions({ sockets: () => subscriptions.connections(), subscriptions: () => events.activeListeners });

  return {
    httpServer,
    metrics: serviceMetrics,
    tenants,
    events,
    subscriptions,
    listen(port, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => resolve(`http://${host}:${(httpServer.address() as AddressInfo).port}/graphql`));
      });
    },
    close(drainMs) {
      closing ??= (async () => {
        draining = true;
        // Subscribers are told the server is going away (1001) and reconnect elsewhere;
        // requests in flight are answered, then their connections closed.
        await subscriptions.close();
        await drainHttpServer(httpServer, drainMs);
        await server.stop();
        await supergraph.close();
      })();
      return closing;
    },
  };
}

/** Apollo Gateway over the supergraph file: each subgraph reached through a signed data source with its own pool, deadline and breaker. */
function federatedGateway(options: GatewayOptions, metrics: GatewayMetrics) {
  const fetchers = new Map<string, SubgraphFetcher>();
  /** Each subgraph's URL as the gateway reaches it (the payment webhooks go to commerce's). */
  const routingUrls = new Map<string, string>();
  const signer = new ForwardedSigner(options.gatewaySecret);
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphFromFile(options.supergraphFile, options.logger),
    buildService: ({ name, url }) => {
      let fetcher = fetchers.get(name);
      if (!fetcher)
        fetchers.set(
          name,
          (fetcher = new SubgraphFetcher(name, { ...options.subgraphFetch, ...options.subgraphFetchOf?.[name] }, metrics, options.logger)),
        );
      routingUrls.set(name, options.subgraphUrls?.[name] ?? url!);
      return new SignedDataSource(name, options.subgraphUrls?.[name] ?? url!, signer, fetcher);
    },
    logger: options.logger,
  });
  let apiSchema: GraphQLSchema | null = null;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: loaded }) => {
    apiSchema = loaded;
  });
  return {
    gateway,
    /** The API schema of the current supergraph (null until it is loaded). */
    apiSchema: () => apiSchema,
    /** A subgraph's URL, as the gateway reaches it (once the supergraph is loaded). */
    routingUrl: (name: string) => routingUrls.get(name),
    async close() {
      for (const fetcher of fetchers.values()) await fetcher.close();
    },
  };
}

/** Apollo Server in front of the gateway: limits, persisted documents, rate limits, caching, telemetry, masked errors. */
async function graphqlServer(
  options: GatewayOptions,
  gateway: ApolloGateway,
  parts: {
    metrics: GatewayMetrics;
    serviceMetrics: ServiceMetrics;
    documents: PersistedDocuments;
    budgets: OperationBudgets;
    validationRules: ReturnType<typeof operationLimitRules>;
  },
): Promise<ApolloServer<GatewayContext>> {
  const { logger } = options;
  const server = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !options.production,
    // main.ts drains on SIGTERM/SIGINT (answers in flight, 1001 to subscribers); Apollo's own
    // handler, on by default outside NODE_ENV=test, would stop the gateway under them.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    // The request guards below check these first (and count what they refuse); Apollo's own stay on.
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    persistedQueries: { cache: parts.documents.apqCache, ttl: null },
    parseOptions: { maxTokens: OPERATION_LIMITS.maxTokens },
    validationRules: parts.validationRules,
    formatError: (formatted, error) => {
      const masked = maskError(formatted, error, logger);
      return options.production ? { ...masked, message: withoutSuggestions(masked.message) } : masked;
    },
    plugins: [
      options.production
        ? ApolloServerPluginLandingPageDisabled()
        : ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }),
      ApolloServerPluginInlineTraceDisabled(),
      securityPlugin(parts.metrics),
      accessPlugin(),
      subgraphWaitPlugin(parts.metrics),
      rateLimitPlugin(parts.budgets),
      ...responseCache(options.redis, options.redisPrefix, parts.metrics),
      operationTelemetry<GatewayContext>({
        metrics: parts.serviceMetrics,
        logger,
        nameSpan: true,
        facts: (context) => ({
          requestId: context.requestId,
          tenant: context.tenant?.slug,
          userId: context.viewer?.userId,
          subgraphMs: context.subgraphWait && Math.round(context.subgraphWait.ms * 10) / 10,
          traceId: context.trace && traceIdOf(context.trace),
        }),
      }),
    ],
  });
  await server.start();
  return server;
}

type ContextFor = (
  req: http.IncomingMessage,
  pathname: string,
  params?: { authorization?: string; tenant?: string },
) => Promise<GatewayContext>;

/** Tenant and viewer of a request or a WebSocket connection (whose parameters may name them). */
function contextResolver(
  options: GatewayOptions,
  tenants: TenantDirectory,
  tokens: VerifiedTokens,
  principals: PrincipalDirectory,
  apiKeys: ApiKeyDirectory,
): ContextFor {
  return async (req, pathname, params = {}) => {
    let asked = tenantOfRequest(req, pathname, options.baseDomain);
    if (!asked.slug && params.tenant) asked = tenantOfRequest({ headers: { 'x-tenant': params.tenant } }, pathname, options.baseDomain);
    if (!asked.slug) asked = tenantOfRequest(req, pathname, options.baseDomain, options.defaultTenant);
    if (!asked.slug) {
      throw withStatus(
        new PublicError('TENANT_NOT_FOUND', 'No tenant: send X-Tenant, use /t/<slug>/graphql or <slug>.' + options.baseDomain),
      );
    }
    try {
      const entry = asked.wellFormed ? await tenants.bySlug(asked.slug) : null;
      if (!entry) throw new TenantNotFoundError();
      const { arbitraryDocuments, status, ...tenant } = entry;
      const viewer = await authenticate(
        params.authorization ? { headers: { authorization: params.authorization } } : req,
        tenant,
        tokens,
        principals,
        apiKeys,
      );
      return {
        tenant,
        viewer,
        requestId: requestIdOf(req),
        clientAddress: clientAddress(req, options.trustedProxies),
        arbitraryDocuments: arbitraryDocuments === true,
        ...(status === 'SUSPENDED' ? { tenantSuspended: true } : {}),
      };
    } catch (error) {
      if (error instanceof PublicError) throw withStatus(error);
      // The tenant or the viewer could not be looked up (the database restarting): try again, HTTP 503.
      if (databaseUnavailable(error)) throw withStatus(new UpstreamUnavailableError('The database', error));
      throw error;
    }
  };
}

/** The gateway's HTTP routes: keys, health, metrics, the CSV exports, and GraphQL behind the request guards. */
function requestHandler(
  options: GatewayOptions,
  parts: {
    server: ApolloServer<GatewayContext>;
    serviceMetrics: ServiceMetrics;
    metrics: GatewayMetrics;
    documents: PersistedDocuments;
    contextFor: ContextFor;
    readiness: () => Promise<Record<string, string>>;
    /** Where payment webhooks go (the commerce subgraph's URL). */
    commerceUrl: () => string | undefined;
    /** Tenants' DID documents and credential status lists. */
    credentialDocuments: CredentialDocuments;
  },
): (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> {
  const { server, serviceMetrics, metrics, documents, contextFor } = parts;
  const webApp =
    options.webAppDir === null
      ? null
      : new StaticWebApp(options.webAppDir ?? DEFAULT_WEB_APP_DIR, { storageOrigins: options.webAppStorageOrigins ?? [] });
  /** An operation of the gateway's own pages (the CSV export, the verification page), through the whole supergraph. */
  const executeInternally: ExecuteOperation = async (query, variables, contextValue) => {
    const response = await server.executeOperation({ query, variables }, { contextValue: { ...contextValue, internal: 'export' } });
    return response.body.kind === 'single'
      ? response.body.singleResult
      : { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };
  };
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://gateway');
    serviceMetrics.observeHttp(routeOf(url.pathname), res);
    // One id from here to every subgraph and log line; a client's own well-formed id is kept.
    req.headers['x-request-id'] = requestIdOf(req);
    res.setHeader('x-request-id', req.headers['x-request-id']);
    try {
      if (url.pathname === '/.well-known/jwks.json') return sendJson(res, 200, options.jwks, { 'cache-control': 'public, max-age=300' });
      if (url.pathname === '/health/live') return sendJson(res, 200, { status: 'ok' });
      if (url.pathname === '/metrics') return await serviceMetrics.respond(res, options.clusterMetrics);
      if (url.pathname === '/health/ready') {
        const checks = await parts.readiness();
        const ready = Object.values(checks).every((check) => check === 'ok');
        return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks });
      }
      if (url.pathname === PAYMENT_WEBHOOK_PATH) return await forwardPaymentWebhook(req, res, parts.commerceUrl(), options.logger);
      const verificationCode = verificationCodeOf(url.pathname);
      if (verificationCode !== null)
        return await serveVerificationPage(req, res, verificationCode, () => contextFor(req, url.pathname), executeInternally);
      const credentialDocument = credentialDocumentOf(url.pathname);
      if (credentialDocument)
        return await parts.credentialDocuments.serve(req, res, credentialDocument, () => contextFor(req, url.pathname));
      if (exportName(url.pathname) === IMPACT_REPORT_EXPORT)
        return await serveImpactReportExport(req, res, url, () => contextFor(req, url.pathname), executeInternally);
      if (exportName(url.pathname) === DC3_EXPORT)
        return await serveDc3Export(req, res, url, () => contextFor(req, url.pathname), executeInternally);
      if (!isGraphQLPath(url.pathname)) {
        // What no API route took may be the web app's (its page, its assets).
        if (webApp && (await webApp.serve(req, res, url.pathname))) return;
        throw new HttpProblem(404, 'NOT_FOUND', 'Not found');
      }
      checkPreflighted(req);
      const posted = req.method === 'POST' ? await readJsonBody(req, OPERATION_LIMITS.maxBodyBytes) : undefined;
      checkSingleOperation(posted);
      const body = withPersistedDocument(posted, documents);
      let resolved: Promise<GatewayContext> | null = null;
      const context = () => (resolved ??= contextFor(req, url.pathname));
      const source = documents.sourceOf((body as Record<string, unknown> | undefined) ?? queryParameters(url));
      checkNotSubscription(source);
      if (source !== undefined && documents.needsPermission(source)) {
        // A context that fails (no tenant, a bad token) is Apollo's to answer.
        const known = await context().catch(() => null);
        if (known) checkDocument(documents, source, known);
      }
      // The client's trace (a traceparent it sent) continues through the subgraphs and the jobs they cause.
      await inSpan(
        'graphql',
        {
          kind: SpanKind.SERVER,
          parent: incomingContext(req.headers),
          attributes: { 'http.request.method': req.method, 'url.path': url.pathname },
        },
        (_span, trace) => executeGraphQL(server, req, res, url, async () => Object.assign(await context(), { trace }), { body }),
      );
    } catch (error) {
      if (error instanceof RequestRejected) metrics.reject(error.reason);
      else if (error instanceof HttpProblem && error.status === 413) metrics.reject('body-size');
      if (error instanceof HttpProblem) return sendError(res, error);
      options.logger.error({ err: error }, 'request failed');
      sendError(res, new HttpProblem(500, 'INTERNAL_SERVER_ERROR', 'Internal server error'));
    }
  };
}

/** A GET request's document and extensions. */
function queryParameters(url: URL): { query?: string; extensions?: unknown } {
  const extensions = url.searchParams.get('extensions');
  let parsed: unknown;
  try {
    parsed = extensions ? JSON.parse(extensions) : undefined;
  } catch {
    parsed = undefined;
  }
  return { ...(url.searchParams.has('query') ? { query: url.searchParams.get('query')! } : {}), extensions: parsed };
}

/** Refuses, as a 400, a document the request's tenant may not run. */
function checkDocument(documents: PersistedDocuments, source: string, context: GatewayContext): void {
  try {
    documents.check(source, context, 'http');
  } catch (error) {
    if (error instanceof UnlistedDocumentError) throw new HttpProblem(400, 'BAD_USER_INPUT', error.message);
    throw error;
  }
}

/** The route of a path, as metrics label it (a bounded set). */
function routeOf(pathname: string): string {
  if (isGraphQLPath(pathname)) return 'graphql';
  if (exportName(pathname)) return 'export';
  if (pathname.startsWith('/health/')) return 'health';
  if (pathname === PAYMENT_WEBHOOK_PATH) return 'webhook';
  if (verificationCodeOf(pathname) !== null) return 'verify';
  if (credentialDocumentOf(pathname)) return 'credentials';
  if (pathname === '/metrics' || pathname === '/.well-known/jwks.json') return pathname.slice(1);
  return 'other';
}

/** Apollo Server answers a context error with the HTTP status in its extensions. */
function withStatus(error: PublicError): PublicError {
  Object.assign(error.extensions, { http: { status: STATUS_OF_CODE[error.code] ?? 400 } });
  return error;
}

function requestIdOf(req: http.IncomingMessage): string {
  const given = req.headers['x-request-id'];
  const id = Array.isArray(given) ? given[0] : given;
  return id && /^[\w.-]{1,128}$/.test(id) ? id : randomUUID();
}
