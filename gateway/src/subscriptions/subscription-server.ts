import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApolloServer } from '@apollo/server';
import fastq from 'fastq';
import {
  getOperationAST,
  GraphQLError,
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocket, WebSocketServer } from 'ws';
import { ForbiddenError, PublicError, TenantSuspendedError, UnauthenticatedError, type Logger } from '@academy/platform';
import type { GatewayContext } from '../gateway-context';
import { isTokenLimitError } from '../security/operation-limits';
import type { PersistedDocuments } from '../security/persisted-documents';
import { isGraphQLPath } from '../tenants/tenant-resolution';
import { catchUpOf, REPLAY_PAGES, watchGaps } from './catch-up';
import { EVENT_ID_VARIABLE, eventQuery } from './event-query';
import type { LiveEvents } from './live-events';
import { LIVE_FIELDS, type LiveField } from './live-fields';
import { SubscriptionDocuments } from './subscription-documents';

/** graphql-ws close codes for the contract's errors at connection time. */
const CLOSE_CODES: Record<string, number> = {
  UNAUTHENTICATED: CloseCode.Unauthorized,
  TENANT_MISMATCH: CloseCode.Forbidden,
  FORBIDDEN: CloseCode.Forbidden,
  TENANT_NOT_FOUND: 4404,
  TENANT_SUSPENDED: CloseCode.Forbidden,
};
/** Events of one subscription resolved at the same time, at most (delivered in order). */
const RESOLVE_AHEAD = 8;
/** How many of the latest event ids a subscription of a `distinct` live field remembers, to deliver each once. */
const DISTINCT_WINDOW = 1_000;
/**
 * Waits before resolving an event again that could not be resolved (a subgraph or the database
 * UPSTREAM_UNAVAILABLE): ~30 s in all, the events behind it waiting (delivered in order).
 */
const RESOLVE_RETRY_MS = [250, 500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000];

/** Over how long the subscriptions of a gateway ask for what they missed once Redis is back. */
const CATCH_UP_SPREAD_MS = 3_000;

/**
 * Questions a subscription asks the supergraph as its subscriber when it subscribes (may it see
 * the certificate or order it names, what it missed after `afterEventId`) or after a Redis
 * outage (what it missed meanwhile), asked at the same time by one gateway, at most: the rest
 * wait their turn. A burst (thousands of clients subscribing at once, a reconnect storm after a
 * gateway restart) is then a queue, not thousands of concurrent subgraph requests that time out
 * and open the circuit breaker (every one refused UPSTREAM_UNAVAILABLE).
 */
const ASKS_AT_ONCE = 16;
/**
 * Waits before asking a subscribe-time question again that found a subgraph or the database
 * unavailable (~8 s in all); then the subscription is refused with UPSTREAM_UNAVAILABLE.
 */
const ASK_RETRY_MS = RESOLVE_RETRY_MS.slice(0, 5);

/** An event that could not be resolved now (UPSTREAM_UNAVAILABLE): worth trying again. */
class EventUnresolvable extends Error {}

export interface SubscriptionServerOptions {
  httpServer: http.Server;
  /** The API schema of the current supergraph (null until it is loaded). */
  apiSchema(): GraphQLSchema | null;
  /** Runs each event's query through the supergraph. */
  server: ApolloServer<GatewayContext>;
  events: LiveEvents;
  /** Tenant and viewer of a connection: the upgrade request, then the connection parameters. */
  resolveContext(request: http.IncomingMessage, params: { authorization?: string; tenant?: string }): Promise<GatewayContext>;
  /** Rules beyond the specified ones (the same limits as HTTP). */
  validationRules?: readonly ValidationRule[];
  /** Lexical tokens a document may have (as HTTP). */
  maxTokens?: number;
  onTokenLimit?: () => void;
  /** Which documents may run (persisted ones by APQ hash or documentId, or any for some tenants). */
  documents?: PersistedDocuments;
  /** Charges a subscription to the rate limits (throws RATE_LIMITED). */
  admit?: (
    context: GatewayContext,
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
  ) => Promise<unknown>;
  keepAliveMs?: number;
  /** Announces that a person's access changed: their sockets are closed (they connect again with what they may now see). */
  accessChanges?: { onChange(listener: (change: { tenantId: string; userId: string; sessionIds?: string[] }) => void): () => void };
  /** Announces that a tenant changed (its slug): its sockets are closed (a suspended tenant's do not connect again). */
  tenantChanges?: { onChange(listener: (slug: string) => void): () => void };
  logger: Logger;
}

/** The options, the queue of questions asked as subscribers (ASKS_AT_ONCE), and the documents read so far. */
interface ServerParts extends SubscriptionServerOptions {
  asks: fastq.queueAsPromised<() => Promise<Answer | null>, Answer | null>;
  read: SubscriptionDocuments;
}

/** The supergraph's answer to an operation the gateway runs itself. */
type Answer = Awaited<ReturnType<ApolloServer<GatewayContext>['executeOperation']>>;

export interface SubscriptionServer {
  /** Open sockets. */
  connections(): number;
  close(): Promise<void>;
}

interface ConnectionExtra extends Record<PropertyKey, unknown> {
  academy?: GatewayContext;
}

/**
 * graphql-ws on the gateway's own port and paths: @apollo/gateway executes no subscriptions,
 * so the gateway does. It authenticates the connection (an `authorization` parameter), finds the
 * tenant as HTTP does (or a `tenant` parameter), validates each subscription against the API
 * schema, listens to the tenant's events (Redis pub/sub: any number of gateways), keeps what the
 * subscriber may see, and resolves each event's selection set through the supergraph.
 */
export function attachSubscriptions(serverOptions: SubscriptionServerOptions): SubscriptionServer {
  const options: ServerParts = {
    ...serverOptions,
    asks: fastq.promise((ask: () => Promise<Answer | null>) => ask(), ASKS_AT_ONCE),
    read: new SubscriptionDocuments(serverOptions.validationRules ?? []),
  };
  const wss = new WebSocketServer({ noServer: true, maxPayload: 100_000 });
  // Each signed-in person's open sockets, to close when their access changes (suspended,
  // demoted, promoted): what a socket may see was decided with the access it connected with.
  const socketsOf = new Map<string, Set<{ close(code: number, reason: string): void; sessionId?: string }>>();
  const stopWatching = options.accessChanges?.onChange(({ tenantId, userId, sessionIds }) => {
    for (const socket of socketsOf.get(`${tenantId}:${userId}`) ?? []) {
      if (sessionIds && !sessionIds.includes(socket.sessionId ?? '')) continue;
      socket.close(
        CloseCode.Forbidden,
        sessionIds ? 'UNAUTHENTICATED: your session ended' : 'FORBIDDEN: your access changed; connect again',
      );
    }
  });
  const socketsOfTenant = new Map<string, Set<{ close(code: number, reason: string): void }>>();
  const stopWatchingTenants = options.tenantChanges?.onChange((slug) => {
    for (const socket of socketsOfTenant.get(slug) ?? [])
      socket.close(CloseCode.Forbidden, 'FORBIDDEN: your academy changed; connect again');
  });
  options.httpServer.on('upgrade', (request: http.IncomingMessage, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://gateway');
    if (!isGraphQLPath(url.pathname)) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });

  const disposable = useServer<Record<string, unknown> | undefined, ConnectionExtra>(
    {
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        try {
          const context = await options.resolveContext(ctx.extra.request, {
            ...(typeof params.authorization === 'string' ? { authorization: params.authorization } : {}),
            ...(typeof params.tenant === 'string' ? { tenant: params.tenant } : {}),
          });
          if (!context.viewer)
            throw new UnauthenticatedError('Subscriptions need a token: connection parameter authorization "Bearer <token>"');
          if (context.tenantSuspended && context.viewer.persona !== 'PLATFORM_ADMIN') throw new TenantSuspendedError();
          if (context.viewer.apiKey) throw new ForbiddenError('API keys do not subscribe');
          ctx.extra.academy = context;
          const person = `${context.viewer.tenantId}:${context.viewer.userId}`;
          const sockets = socketsOf.get(person) ?? new Set();
          const entry = {
            close: (code: number, reason: string) => ctx.extra.socket.close(code, reason),
            ...(context.viewer.sessionId ? { sessionId: context.viewer.sessionId } : {}),
          };
          sockets.add(entry);
          socketsOf.set(person, sockets);
          const ofTenant = socketsOfTenant.get(context.tenant.slug) ?? new Set();
          ofTenant.add(entry);
          socketsOfTenant.set(context.tenant.slug, ofTenant);
          ctx.extra.socket.once('close', () => {
            ofTenant.delete(entry);
            if (ofTenant.size === 0) socketsOfTenant.delete(context.tenant.slug);
            sockets.delete(entry);
            if (sockets.size === 0) socketsOf.delete(person);
          });
          return true;
        } catch (error) {
          const code = error instanceof PublicError ? error.code : 'INTERNAL_SERVER_ERROR';
          const message = error instanceof PublicError ? error.message : 'Internal server error';
          if (!(error instanceof PublicError)) options.logger.error({ err: error }, 'subscription connection failed');
          ctx.extra.socket.close(CLOSE_CODES[code] ?? CloseCode.InternalServerError, `${code}: ${message}`.slice(0, 120));
          return false;
        }
      },
      onSubscribe: async (ctx, _id, payload) => {
        const schema = options.apiSchema();
        if (!schema) return [new GraphQLError('The supergraph is not loaded yet', { extensions: { code: 'UPSTREAM_UNAVAILABLE' } })];
        let source = payload.query;
        const extensions = payload.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined;
        const persisted =
          (payload as { documentId?: unknown }).documentId ??
          (typeof extensions?.persistedQuery?.sha256Hash === 'string' ? `sha256:${extensions.persistedQuery.sha256Hash}` : undefined);
        if (!source && options.documents && typeof persisted === 'string') {
          const found = options.documents.byId(persisted);
          if (!found)
            return [
              new GraphQLError('Unknown persisted document: send one of the published documents', {
                extensions: { code: 'BAD_USER_INPUT' },
              }),
            ];
          source = found;
        }
        try {
          options.documents?.check(source, ctx.extra.academy!, 'ws');
        } catch (error) {
          return [new GraphQLError((error as GraphQLError).message, { extensions: { code: 'BAD_USER_INPUT' } })];
        }
        let document: DocumentNode;
        let errors: readonly GraphQLError[];
        try {
          ({ document, errors } = options.read.get(schema, source, options.maxTokens ? { maxTokens: options.maxTokens } : {}));
        } catch (error) {
          if (isTokenLimitError((error as GraphQLError).message)) options.onTokenLimit?.();
          return [new GraphQLError((error as GraphQLError).message, { extensions: { code: 'BAD_USER_INPUT' } })];
        }
        if (errors.length > 0)
          return errors.map((error) => new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: 'BAD_USER_INPUT' } }));
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return [new GraphQLError('Name the operation to run', { extensions: { code: 'BAD_USER_INPUT' } })];
        if (operation.operation !== 'subscription')
          return [
            new GraphQLError('Send queries and mutations over HTTP; this socket carries subscriptions', {
              extensions: { code: 'BAD_USER_INPUT' },
            }),
          ];
        const field = operation.selectionSet.selections[0];
        if (operation.selectionSet.selections.length !== 1 || field?.kind !== Kind.FIELD || !LIVE_FIELDS[field.name.value]) {
          return [
            new GraphQLError(`Subscribe to one of ${Object.keys(LIVE_FIELDS).join(', ')}, one per subscription`, {
              extensions: { code: 'BAD_USER_INPUT' },
            }),
          ];
        }
        try {
          await options.admit?.(ctx.extra.academy!, schema, document, operation, payload.variables ?? {});
        } catch (error) {
          const { message, extensions } = error as GraphQLError;
          return [new GraphQLError(message, { extensions: { code: extensions.code, retryAfter: extensions.retryAfter } })];
        }
        const live = LIVE_FIELDS[field.name.value]!;
        const args = argumentValues(field, payload.variables);
        // Asked again while a subgraph or the database is unavailable, as long as the client waits.
        const asking = { retries: ASK_RETRY_MS, wanted: () => ctx.extra.socket.readyState === WebSocket.OPEN };
        const refusal = await targetRefusal(live, args, ctx.extra.academy!, options, asking);
        if (refusal) return [refusal];
        // With afterEventId it listens before it asks what the client missed (a change committed
        // in between is held, not lost), and asks once: the answer checks the afterEventId and is
        // the replay (EARLY_STARTS).
        const early = live.replay && args[live.replay.argument] != null ? listenEarly(live, args, ctx.extra.academy!, options) : null;
        let replayed: Awaited<ReturnType<typeof replayIds>> = null;
        try {
          if (early) replayed = await replayIds(live, args, ctx.extra.academy!, options, asking);
        } catch (error) {
          early?.stop();
          throw error;
        }
        if (replayed && 'error' in replayed) {
          early?.stop();
          return [replayed.error];
        }
        const execution = {
          schema,
          document,
          ...(payload.operationName ? { operationName: payload.operationName } : {}),
          variableValues: payload.variables ?? {},
          contextValue: ctx.extra.academy,
        };
        // graphql-ws hands these arguments to subscribe (eventStream), which takes the listener over.
        if (early) EARLY_STARTS.set(execution, { ...early, ids: replayed && 'ids' in replayed ? replayed.ids : [] });
        return execution;
      },
      subscribe: (args) => eventStream(args, options),
    },
    wss,
    options.keepAliveMs ?? 12_000,
  );

  return {
    connections: () => wss.clients.size,
    async close() {
      stopWatching?.();
      stopWatchingTenants?.();
      // Closes every socket (1001, going away) and the server.
      await disposable.dispose();
    },
  };
}

/** A subscription field's arguments as values (literals, or the request's variables). */
function argumentValues(field: FieldNode, variables: Record<string, unknown> | null | undefined): Record<string, unknown> {
  return Object.fromEntries((field.arguments ?? []).map((arg) => [arg.name.value, valueFromASTUntyped(arg.value, variables ?? {})]));
}

/** How a question is asked: again after these waits while it finds a subgraph or the database unavailable, while `wanted`. */
interface Asking {
  retries: readonly number[];
  wanted(): boolean;
}

/**
 * Asks the supergraph, as the subscriber, for what a subscription names: the answer's `key`
 * field, or the refusal to send the client (its code when it is the input's or a subgraph's
 * outage, else NOT_FOUND with `notFound`). Asked in turn (ASKS_AT_ONCE).
 */
async function askAsSubscriber<T>(
  request: { query: string; variables: Record<string, unknown>; key: string; notFound: string },
  context: GatewayContext,
  options: ServerParts,
  asking: Asking,
): Promise<{ value: T } | { error: GraphQLError }> {
  for (let attempt = 0; ; attempt += 1) {
    // Not asked for a client that went while the question waited its turn.
    const response = await options.asks.push(async () =>
      asking.wanted()
        ? options.server.executeOperation(
            { query: request.query, variables: request.variables },
            { contextValue: { ...context, requestId: randomUUID(), internal: 'subscription-event' } },
          )
        : null,
    );
    if (!response) return { error: new GraphQLError('The subscription was given up', { extensions: { code: 'UPSTREAM_UNAVAILABLE' } }) };
    const result = response.body.kind === 'single' ? response.body.singleResult : null;
    const value = (result?.data as Record<string, T> | null | undefined)?.[request.key];
    if (value) return { value };
    const code = result?.errors?.[0]?.extensions?.code;
    if (code === 'UPSTREAM_UNAVAILABLE' && attempt < asking.retries.length && asking.wanted()) {
      await sleep(asking.retries[attempt]);
      continue;
    }
    if (code === 'BAD_USER_INPUT' || code === 'UPSTREAM_UNAVAILABLE')
      return { error: new GraphQLError(result!.errors![0]!.message, { extensions: { code } }) };
    return { error: new GraphQLError(request.notFound, { extensions: { code: 'NOT_FOUND' } }) };
  }
}

/**
 * Why the subscription cannot be: the certificate or order it names is not one the subscriber
 * may see (looked up through the supergraph as them), or its id is refused. Null: it may.
 */
async function targetRefusal(
  live: LiveField<never>,
  args: Record<string, unknown>,
  context: GatewayContext,
  options: ServerParts,
  asking: Asking,
): Promise<GraphQLError | null> {
  const target = live.target;
  const id = target ? args[target.argument] : undefined;
  if (!target || id === null || id === undefined) return null;
  const found = await askAsSubscriber(
    { query: target.query, variables: { id }, key: 'target', notFound: `${target.what} not found` },
    context,
    options,
    asking,
  );
  return 'error' in found ? found.error : null;
}

/** The ids of the events after the subscription's `afterEventId` (LiveField.replay), asked as the subscriber; null without one. */
async function replayIds(
  live: LiveField<never>,
  args: Record<string, unknown>,
  context: GatewayContext,
  options: ServerParts,
  asking: Asking,
): Promise<{ ids: string[] } | { error: GraphQLError } | null> {
  const replay = live.replay;
  const after = replay ? args[replay.argument] : undefined;
  if (!replay || after === null || after === undefined) return null;
  const forwarded = replay.forwarded.map((name) => [name, args[name] ?? null]);
  // Page after page (each at most replay.pageSize), the next one after the last id of the one before.
  const ids: string[] = [];
  let from = after;
  for (let page = 0; page < REPLAY_PAGES; page += 1) {
    const events = await askAsSubscriber<{ id: string }[]>(
      {
        query: replay.query,
        variables: Object.fromEntries([['after', from], ...forwarded]),
        key: 'events',
        notFound: 'Event to replay after not found',
      },
      context,
      options,
      asking,
    );
    if ('error' in events) return events;
    ids.push(...events.value.map((event) => event.id));
    if (events.value.length < replay.pageSize) break;
    from = ids.at(-1)!;
  }
  return { ids };
}

/** A subscription listening since it subscribed, and the ids of the events its afterEventId replays. */
interface EarlyStart {
  ids: string[];
  /** The Redis connection's losses when it began listening, and whether it was down (LiveEvents.connection). */
  losses: number;
  down: boolean;
  /** When it began listening (ISO). */
  since: string;
  /** The live events heard so far go to `listener`, then every later one; returns the function that stops listening. */
  adopt(listener: (event: unknown) => void): () => void;
  stop(): void;
}

/** Early starts by the execution arguments onSubscribe returned (graphql-ws passes the same object to subscribe). */
const EARLY_STARTS = new WeakMap<object, EarlyStart>();

/** Listens to the subscription's live events now, keeping them until its event stream takes them over. */
function listenEarly(
  live: LiveField<never>,
  args: Record<string, unknown>,
  context: GatewayContext,
  options: ServerParts,
): Omit<EarlyStart, 'ids'> {
  let heard: unknown[] = [];
  let forward: ((event: unknown) => void) | null = null;
  const { losses, down } = options.events.connection();
  const since = new Date().toISOString();
  const stop = options.events.listen(live.channel, context.tenant.id, live.routes.subscriber(context.viewer, args), (event) => {
    if (forward) forward(event);
    // Only what it may see waits (a staff subscriber in the subscribe queue hears the whole tenant).
    else if (live.visible(context.viewer, event, args)) heard.push(event);
  });
  return {
    losses,
    down,
    since,
    adopt(listener) {
      forward = listener;
      const earlier = heard;
      heard = [];
      for (const event of earlier) listener(event);
      return stop;
    },
    stop,
  };
}

/** The events a subscription receives, each resolved through the supergraph as the subscriber. */
function eventStream(args: ExecutionArgs, options: ServerParts): AsyncIterableIterator<ExecutionResult> {
  const early = EARLY_STARTS.get(args);
  EARLY_STARTS.delete(args);
  try {
    return startEventStream(args, options, early);
  } catch (error) {
    // Not taken over: nobody else would stop it.
    early?.stop();
    throw error;
  }
}

function startEventStream(
  args: ExecutionArgs,
  options: ServerParts,
  early: EarlyStart | undefined,
): AsyncIterableIterator<ExecutionResult> {
  const context = args.contextValue as GatewayContext;
  const operation = getOperationAST(args.document, args.operationName)!;
  const live = LIVE_FIELDS[(operation.selectionSet.selections[0] as FieldNode).name.value] as LiveField<unknown>;
  const query = eventQuery(args.document, operation, live);
  const fieldArgs = argumentValues(operation.selectionSet.selections[0] as FieldNode, args.variableValues);
  const visible = (event: unknown) => live.visible(context.viewer, event, fieldArgs);

  // Events in arrival order; the first RESOLVE_AHEAD of them are resolved concurrently (a staff
  // subscriber sees every change of the tenant: one at a time, a busy minute would queue up),
  // and delivered in order.
  const queue: { event: unknown; result?: Promise<ExecutionResult | null>; onlyIfChanged?: boolean }[] = [];
  // An event published again (the outbox relay publishes at least once: it died, or lost the
  // database or Redis, before it marked the event sent) is delivered once.
  const delivered = live.distinct ? new Set<string>() : null;
  let wake: (() => void) | null = null;
  let done = false;
  const resolveAhead = () => {
    for (let i = 0; i < Math.min(queue.length, RESOLVE_AHEAD); i += 1) {
      const entry = queue[i]!;
      entry.result ??= resolveWithRetries(entry.event)
        .catch((error: Error) => {
          options.logger.warn({ eventId: live.eventId(entry.event), err: error.message }, 'live event not delivered');
          return null;
        })
        .then((result) => {
          // Not delivered: should it arrive again, it is tried again.
          if (!result) delivered?.delete(live.eventId(entry.event));
          return result;
        });
    }
  };
  // Live events are held while the subscription catches up: with afterEventId, until the
  // replay's ids are known (one of them that arrives live too is delivered once); after a Redis
  // gap, until what it missed is asked (catch-up.ts). Each holds and releases once; the held
  // events go out when neither holds any more.
  let holders = 0;
  let held: unknown[] = [];
  const replayed = new Set<string>();
  // The client's afterEventId: what it had.
  const after = live.replay ? fieldArgs[live.replay.argument] : undefined;
  // The newest event it has (enqueued, so delivered or on its way): where a catch-up starts.
  let newest: string | null = typeof after === 'string' ? after : null;
  const enqueue = (event: unknown, onlyIfChanged?: boolean) => {
    const id = live.eventId(event);
    // A resync (the thing as it is now) is delivered if it changed, whatever was delivered before.
    if (!onlyIfChanged && (replayed.has(id) || delivered?.has(id))) return;
    newest = id;
    if (delivered) {
      delivered.add(id);
      if (delivered.size > DISTINCT_WINDOW) delivered.delete(delivered.values().next().value!);
    }
    queue.push({ event, ...(onlyIfChanged ? { onlyIfChanged } : {}) });
    resolveAhead();
    wake?.();
    wake = null;
  };
  const hold = () => void (holders += 1);
  /** One holder is done; the live events held meanwhile are delivered once none holds. */
  const releaseHeld = () => {
    holders = Math.max(0, holders - 1);
    if (holders > 0) return;
    const waiting = held;
    held = [];
    for (const event of waiting) if (!done) enqueue(event);
  };
  // The events after the client's afterEventId, in order, then the live ones held meanwhile.
  const replaying = after !== null && after !== undefined;
  if (replaying) hold();
  const heard = (event: unknown) => {
    if (done || !visible(event)) return;
    if (holders > 0) held.push(event);
    else enqueue(event);
  };
  // Listening since it subscribed (with afterEventId), or from now.
  const since = early?.since ?? new Date().toISOString();
  const stopListening = early
    ? early.adopt(heard)
    : options.events.listen(live.channel, context.tenant.id, live.routes.subscriber(context.viewer, fieldArgs), heard);
  if (replaying) {
    // onSubscribe asked what the client missed (EARLY_STARTS); queued once this stream is built.
    void Promise.resolve(early?.ids ?? [])
      .then((ids) => {
        for (const id of ids) {
          enqueue(live.replay!.eventOf(id));
          replayed.add(id);
        }
      })
      .catch((error: Error) => options.logger.warn({ err: error.message }, 'live events not replayed'))
      .finally(releaseHeld);
  }
  // Redis's connection was lost: what is published until it is back never arrives. The
  // subscription catches up once it is back, as its field does (catch-up.ts).
  let lastPayload: string | undefined;
  const catchUp = catchUpOf(live as LiveField<never>, {
    viewer: context.viewer,
    args: fieldArgs,
    since,
    logger: options.logger,
    async ask<T>(query: string, variables: Record<string, unknown>, key: string) {
      const answer = await askAsSubscriber<T>({ query, variables, key, notFound: 'Not found' }, context, options, {
        retries: [],
        wanted: () => !done,
      });
      if (!('error' in answer)) return answer.value;
      return answer.error.extensions.code === 'UPSTREAM_UNAVAILABLE' ? 'unavailable' : null;
    },
    baseline(event) {
      if (lastPayload !== undefined) return;
      // In turn with the other questions (every subscription of the gateway asks at once).
      void options.asks.push(async () => {
        const result = done ? null : await resolveEvent(event).catch(() => null);
        if (result && lastPayload === undefined) lastPayload = JSON.stringify(result);
        return null;
      });
    },
  });
  const stopCatchingUp = catchUp
    ? watchGaps(
        options.events,
        catchUp,
        {
          done: () => done,
          newest: () => newest,
          hold,
          releaseHeld,
          enqueue,
          logger: options.logger,
        },
        { spreadMs: CATCH_UP_SPREAD_MS, retryMs: RESOLVE_RETRY_MS },
        // Down when it began listening or now (it hears nothing until the connection is back), or
        // lost since it began (while its replay was asked): caught up as from a loss now.
        options.events.connection().down || (early !== undefined && (early.down || options.events.connection().losses !== early.losses)),
      )
    : () => undefined;
  const finish = () => {
    done = true;
    stopListening();
    stopCatchingUp();
    wake?.();
    wake = null;
  };

  /** An event resolved, tried again while it cannot be resolved now (in order: those behind it wait). */
  const resolveWithRetries = async (event: unknown): Promise<ExecutionResult | null> => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await resolveEvent(event);
      } catch (error) {
        if (done || attempt >= RESOLVE_RETRY_MS.length) throw error;
        await new Promise((resolve) => setTimeout(resolve, RESOLVE_RETRY_MS[attempt]));
        if (done) return null;
      }
    }
  };

  const resolveEvent = async (event: unknown): Promise<ExecutionResult | null> => {
    const response = await options.server.executeOperation(
      {
        query: query.text,
        variables: { ...(args.variableValues ?? {}), [EVENT_ID_VARIABLE]: live.eventId(event) },
        ...(args.operationName ? { operationName: args.operationName } : {}),
      },
      { contextValue: { ...context, requestId: randomUUID(), internal: 'subscription-event' } },
    );
    const result = response.body.kind === 'single' ? response.body.singleResult : null;
    if (!result) return null;
    const payload = (result.data as Record<string, unknown> | null | undefined)?.[query.responseKey] ?? null;
    if (payload === null) {
      // Not resolvable now (a subgraph or the database unavailable): tried again.
      if (result.errors?.some((error) => error.extensions?.code === 'UPSTREAM_UNAVAILABLE'))
        throw new EventUnresolvable(`event ${live.eventId(event)}: ${result.errors[0]!.message}`);
      // Not this subscriber's to see: an error message would end the subscription (graphql-ws),
      // so the event is skipped and logged.
      if (result.errors) options.logger.warn({ eventId: live.eventId(event), errors: result.errors }, 'live event not delivered');
      return null;
    }
    return { data: { [query.responseKey]: payload } as never, ...(result.errors ? { errors: result.errors as never } : {}) };
  };

  const iterator: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      while (!done) {
        if (queue.length === 0) {
          await new Promise<void>((resolve) => (wake = resolve));
          continue;
        }
        resolveAhead();
        const entry = queue[0]!;
        const result = await entry.result!;
        queue.shift();
        resolveAhead();
        if (result && !done) {
          if (live.resync) {
            const payload = JSON.stringify(result);
            if (entry.onlyIfChanged && payload === lastPayload) continue;
            lastPayload = payload;
          }
          return { value: result, done: false };
        }
      }
      return { value: undefined, done: true };
    },
    async return() {
      finish();
      return { value: undefined, done: true };
    },
    async throw(error: unknown) {
      finish();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
