import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { inputHygieneMiddleware } from './input-hygiene';
import { ruleCacheKey } from './rule-cache-key';
import { deny, shield, type IRules } from 'graphql-shield';
import { incomingContext, inSpan, operationTelemetry, ServiceMetrics, SpanKind } from '@academy/telemetry';
import { ForbiddenError, verifyForwardedContext, type ForwardedContext, type Logger } from '@academy/platform';
import { maskError } from './error-masking';
import { drainHttpServer } from './graceful-close';
import { executeGraphQL, HttpProblem, sendError, sendJson } from './http-adapter';

/** What every subgraph's context carries besides its own things. */
export interface SubgraphBaseContext extends BaseContext, ForwardedContext {
  /** True when the request carried a valid gateway signature (federation fields need it); set by the service, never by a context factory. */
  signedByGateway: boolean;
  /** The gateway's id of the client request this is part of (logs). */
  requestId?: string;
}

export interface SubgraphServiceOptions<Context extends SubgraphBaseContext> {
  name: string;
  typeDefs: DocumentNode;
  resolvers: GraphQLResolverMap<Context>;
  /** graphql-shield rule tree: every field needs an explicit rule; anything else is denied. */
  permissions: IRules;
  /** Shared with the gateway; signs the forwarded tenant and viewer. */
  gatewaySecret: string;
  /** The subgraph's own part of the context (repositories, loaders) for a request's tenant and viewer. */
  createContext(forwarded: ForwardedContext): SubgraphOwnContext<Context>;
  logger: Logger;
  introspection?: boolean;
  /** Readiness beyond "the process is up" (database, Redis). */
  ready?: () => Promise<boolean>;
  /**
   * HTTP routes besides /graphql, by path, that do not come through the gateway's signature (a
   * payment provider's webhooks, which prove themselves with their own); each answers itself.
   */
  routes?: Record<string, SubgraphRoute>;
}

/** A route of a subgraph besides /graphql (see SubgraphServiceOptions.routes). */
export type SubgraphRoute = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;

export interface SubgraphService<Context extends SubgraphBaseContext> {
  name: string;
  schema: GraphQLSchema;
  server: ApolloServer<Context>;
  httpServer: http.Server;
  /** Its Prometheus registry and series (served at /metrics). */
  metrics: ServiceMetrics;
  listen(port: number, host?: string): Promise<string>;
  /** Answers what is in flight (up to `drainMs`, default DRAIN_TIMEOUT_MS), then stops. */
  close(drainMs?: number): Promise<void>;
}

/** What a subgraph's context factory builds: everything but what the service itself knows of the request. */
export type SubgraphOwnContext<Context extends SubgraphBaseContext> = Omit<Context, 'signedByGateway' | 'requestId'>;

/** The schema a subgraph serves: its SDL and resolvers, every field behind a graphql-shield rule. */
export function buildProtectedSubgraphSchema<Context>(
  typeDefs: DocumentNode,
  resolvers: GraphQLResolverMap<Context>,
  permissions: IRules,
): GraphQLSchema {
  const schema = buildSubgraphSchema([{ typeDefs, resolvers: resolvers as GraphQLResolverMap<unknown> }]);
  // Arguments no field accepts are refused first, before any permission rule reads them.
  return applyMiddleware(
    schema,
    inputHygieneMiddleware,
    shield(permissions, {
      fallbackRule: deny,
      fallbackError: () => new ForbiddenError(),
      allowExternalErrors: true,
      debug: false,
      hashFunction: ruleCacheKey,
    }),
  );
}

/**
 * One subgraph on node:http: refuses every request without a valid gateway signature
 * (UNAUTHENTICATED, before any resolver runs), builds the per-request context from the
 * forwarded tenant and viewer, masks errors to the contract's codes.
 */
export async function createSubgraphService<Context extends SubgraphBaseContext>(
  options: SubgraphServiceOptions<Context>,
): Promise<SubgraphService<Context>> {
  const schema = buildProtectedSubgraphSchema(options.typeDefs, options.resolvers, options.permissions);
  const metrics = new ServiceMetrics(options.name);
  const server = new ApolloServer<Context>({
    schema,
    introspection: options.introspection ?? false,
    // The process's own SIGTERM/SIGINT handler drains and closes (serveSubgraph). Apollo's, on by
    // default outside NODE_ENV=test, stopped the server beside it and left that close hanging.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => maskError(formatted, error, options.logger),
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      // The gateway logs each client operation at info; a subgraph's part of it is debug.
      operationTelemetry<Context>({
        metrics,
        logger: options.logger,
        level: 'debug',
        facts: (context) => ({ requestId: context.requestId, tenant: context.tenant?.slug, userId: context.viewer?.userId ?? undefined }),
      }),
    ],
  });
  await server.start();

  let draining = false;
  const httpServer = http.createServer((req, res) => {
    void handle(req, res);
  });
  httpServer.keepAliveTimeout = 65_000;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://subgraph');
    metrics.observeHttp(
      url.pathname === '/graphql'
        ? 'graphql'
        : url.pathname.startsWith('/health/')
          ? 'health'
          : url.pathname === '/metrics'
            ? 'metrics'
            : options.routes?.[url.pathname]
              ? 'route'
              : 'other',
      res,
    );
    try {
      if (url.pathname === '/health/live') return sendJson(res, 200, { status: 'ok' });
      if (url.pathname === '/health/ready') {
        const ready = !draining && (options.ready ? await options.ready().catch(() => false) : true);
        return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' });
      }
      if (url.pathname === '/metrics') return await metrics.respond(res);
      const route = options.routes?.[url.pathname];
      if (route) return await route(req, res);
      if (url.pathname !== '/graphql') throw new HttpProblem(404, 'NOT_FOUND', 'Not found');
      const verified = verifyForwardedContext(options.gatewaySecret, req.headers);
      if (!verified.ok) {
        throw new HttpProblem(
          401,
          'UNAUTHENTICATED',
          verified.reason === 'missing' ? 'Requests must come through the gateway' : 'Invalid or expired gateway signature',
        );
      }
      const requestId = typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'] : undefined;
      await inSpan(
        `graphql ${options.name}`,
        {
          kind: SpanKind.SERVER,
          parent: incomingContext(req.headers),
          attributes: { 'graphql.subgraph': options.name, 'academy.request_id': requestId },
        },
        () =>
          executeGraphQL(
            server,
            req,
            res,
            url,
            async () =>
              ({ ...options.createContext(verified.context), signedByGateway: true, ...(requestId ? { requestId } : {}) }) as Context,
          ),
      );
    } catch (error) {
      if (error instanceof HttpProblem) return sendError(res, error);
      options.logger.error({ err: error }, 'request failed');
      sendError(res, new HttpProblem(500, 'INTERNAL_SERVER_ERROR', 'Internal server error'));
    }
  }

  return {
    name: options.name,
    schema,
    server,
    httpServer,
    metrics,
    listen(port, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const address = httpServer.address() as AddressInfo;
          resolve(`http://${host}:${address.port}/graphql`);
        });
      });
    },
    async close(drainMs) {
      draining = true;
      await drainHttpServer(httpServer, drainMs);
      await server.stop();
    },
  };
}
