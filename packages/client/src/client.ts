import { authExchange } from '@urql/exchange-auth';
import { persistedExchange } from '@urql/exchange-persisted';
import {
  cacheExchange,
  Client,
  fetchExchange,
  stringifyDocument,
  subscriptionExchange,
  type CombinedError,
  type Exchange,
  type Operation,
  type TypedDocumentNode,
} from '@urql/core';
import type { DocumentNode } from 'graphql';
import { createClient as createSocketClient, type Client as SocketClient } from 'graphql-ws/client';
import {
  LoginDocument,
  LogoutDocument,
  SignUpDocument,
  RefreshSessionDocument,
  type RefreshSessionMutationVariables,
} from './generated/graphql.js';
import { isExpired, memorySessionStore, type Session, type SessionStore } from './session.js';

export interface AcademyClientOptions {
  /** The gateway's GraphQL endpoint: https://<slug>.<base domain>/graphql, or any host with `tenant`. */
  url: string;
  /** The tenant's slug, sent as `X-Tenant` (and to the socket); leave out when the host names it. */
  tenant?: string;
  /** The subscriptions' socket; defaults to `url` with ws(s):. */
  wsUrl?: string;
  /** Where the session lives (default: memory only). */
  session?: SessionStore;
  /** A WebSocket constructor where there is no global one (Node: the `ws` package). */
  webSocketImpl?: unknown;
  fetch?: typeof fetch;
  /** Send each document's persisted id instead of its text (default true; production runs only these). */
  persisted?: boolean;
  /** Reconnection attempts of the socket before a subscription fails (default 10). */
  retryAttempts?: number;
}

export interface AcademyClient {
  /** The urql Client of the current user: a new one (empty cache) after every sign-in and sign-out. */
  readonly urql: Client;
  readonly session: SessionStore;
  /** Signs in with `login`; throws the urql CombinedError (see describeError) when refused. */
  signIn(email: string, password: string): Promise<Session>;
  /** Creates a learner account in the tenant and signs in with it. */
  signUp(input: { email: string; password: string; name: string }): Promise<Session>;
  /** Ends the session on the server (`logout`) and here. */
  signOut(): Promise<void>;
  /** Calls `listener` after `urql` was replaced (sign-in, sign-out); returns the unsubscribe. */
  onClientChange(listener: (client: Client) => void): () => void;
  /** Closes the socket and stops listening to the session. */
  dispose(): void;
}

/** Operations sent without the session's token (signing in, refreshing). */
const ANONYMOUS = { academyAnonymous: true } as const;

/** Close code the gateway gives a socket whose token it does not accept. */
const UNAUTHORIZED_CLOSE = 4401;

/**
 * The client for the MADFAM Academy gateway (urql): persisted ids on the wire, the token
 * added to every request and refreshed through `refreshToken` when it expires or is refused
 * (once; signed out when the refresh is refused), subscriptions over graphql-ws with
 * reconnection, and the tenant in `X-Tenant` when given.
 */
export function createAcademyClient(options: AcademyClientOptions): AcademyClient {
  const session = options.session ?? memorySessionStore();
  const persisted = options.persisted ?? true;
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  const tenantHeaders: Record<string, string> = options.tenant ? { 'X-Tenant': options.tenant } : {};
  const refresher = sessionRefresher({ url: options.url, session, fetch: fetchImpl, headers: tenantHeaders, persisted });
  const socket = createSocket(options, session, refresher);

  const build = () =>
    new Client({
      url: options.url,
      fetchOptions: { headers: { ...tenantHeaders } },
      ...(options.fetch ? { fetch: options.fetch } : {}),
      requestPolicy: 'cache-and-network',
      exchanges: [
        cacheExchange,
        tokenExchange(session, refresher),
        ...(persisted ? [persistedIdExchange()] : []),
        fetchExchange,
        ...(socket ? [socketExchange(socket.client)] : []),
      ],
    });

  let urql = build();
  const listeners = new Set<(client: Client) => void>();
  let userId = session.get()?.user.id ?? null;
  const stopWatching = session.subscribe((next) => {
    const nextUserId = next?.user.id ?? null;
    if (nextUserId === userId) return;
    // Another person (or nobody): nothing cached or subscribed for the last one may show.
    userId = nextUserId;
    socket?.restart();
    urql = build();
    for (const listener of [...listeners]) listener(urql);
  });

  return {
    get urql() {
      return urql;
    },
    session,
    async signIn(email, password) {
      const result = await urql.mutation(LoginDocument, { email, password }, { ...ANONYMOUS, requestPolicy: 'network-only' }).toPromise();
      if (result.error || !result.data) throw result.error ?? new Error('login answered no data');
      session.set(result.data.login);
      return result.data.login;
    },
    async signUp(input) {
      const result = await urql.mutation(SignUpDocument, { input }, { ...ANONYMOUS, requestPolicy: 'network-only' }).toPromise();
      if (result.error || !result.data) throw result.error ?? new Error('signUp answered no data');
      session.set(result.data.signUp);
      return result.data.signUp;
    },
    async signOut() {
      const current = session.get();
      if (current) {
        // Best effort: the session ends here even when the server cannot be told.
        await urql.mutation(LogoutDocument, { refreshToken: current.refreshToken }, { requestPolicy: 'network-only' }).toPromise();
      }
      session.set(null);
    },
    onClientChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      stopWatching();
      listeners.clear();
      void socket?.client.dispose();
    },
  };
}

interface SessionRefresher {
  /**
   * A fresh session in place of the one holding `staleToken` (one `refreshToken` call however
   * many ask at once), or null: signed out when the server refused the refresh token; the
   * session kept when the server could not be reached.
   */
  refresh(staleToken: string): Promise<Session | null>;
}

function sessionRefresher(options: {
  url: string;
  session: SessionStore;
  fetch: NonNullable<AcademyClientOptions['fetch']>;
  headers: Record<string, string>;
  persisted: boolean;
}): SessionRefresher {
  let running: Promise<Session | null> | null = null;

  const callRefreshToken = async (current: Session): Promise<Session | null> => {
    let body: { data?: { refreshToken?: Session } | null; errors?: unknown[] };
    try {
      const response = await options.fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...options.headers },
        body: JSON.stringify(
          requestBody(
            RefreshSessionDocument,
            { refreshToken: current.refreshToken } satisfies RefreshSessionMutationVariables,
            options.persisted,
          ),
        ),
      });
      body = (await response.json()) as typeof body;
    } catch {
      return null;
    }
    const next = body.data?.refreshToken ?? null;
    // The session may have changed meanwhile (signed out, or in another tab): that one wins.
    if (options.session.get() === current) options.session.set(next);
    return next;
  };

  return {
    refresh(staleToken) {
      const current = options.session.get();
      if (!current) return Promise.resolve(null);
      // Another tab (sharing the storage), or an earlier refresh, already replaced the token.
      if (current.token !== staleToken && !isExpired(current)) return Promise.resolve(current);
      running ??= callRefreshToken(current).finally(() => {
        running = null;
      });
      return running;
    },
  };
}

/** The body of a GraphQL-over-HTTP request: the persisted id (`documentId`) or the document's text. */
function requestBody<Data, Variables>(document: TypedDocumentNode<Data, Variables>, variables: Variables, persisted: boolean) {
  const id = persistedIdOf(document);
  const operationName = document.definitions.find((definition) => definition.kind === 'OperationDefinition')?.name?.value;
  return persisted && id ? { documentId: id, operationName, variables } : { query: stringifyDocument(document), operationName, variables };
}

/** "sha256:<hex>" of a generated document (`__meta__.hash`), when it has one. */
function persistedIdOf(document: unknown): string | undefined {
  const hash = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  return typeof hash === 'string' ? hash : undefined;
}

function tokenExchange(session: SessionStore, refresher: SessionRefresher): Exchange {
  const tokenOf = (operation: Operation) => (operation.context.academyAnonymous ? null : session.get());
  return authExchange(async (utils) => ({
    addAuthToOperation(operation) {
      const current = tokenOf(operation);
      return current ? utils.appendHeaders(operation, { Authorization: `Bearer ${current.token}` }) : operation;
    },
    willAuthError(operation) {
      const current = tokenOf(operation);
      return current !== null && isExpired(current);
    },
    didAuthError(error, operation) {
      return tokenOf(operation) !== null && isAuthenticationError(error);
    },
    async refreshAuth() {
      const current = session.get();
      if (current) await refresher.refresh(current.token);
    },
  }));
}

function isAuthenticationError(error: CombinedError): boolean {
  if (error.graphQLErrors.some((graphQLError) => graphQLError.extensions?.code === 'UNAUTHENTICATED')) return true;
  if ((error.response as { status?: unknown } | undefined)?.status === 401) return true;
  return (error.networkError as { code?: unknown } | undefined)?.code === UNAUTHORIZED_CLOSE;
}

/**
 * Apollo's persisted query extension with the id codegen embedded in each document (so no
 * hashing at run time); a document without one (not generated) goes as text. The gateway
 * reads the same id as GraphQL-over-HTTP `documentId` and, over the socket, from the extension.
 */
function persistedIdExchange(): Exchange {
  return persistedExchange({
    enforcePersistedQueries: true,
    enableForMutation: true,
    enableForSubscriptions: true,
    preferGetForPersistedQueries: false,
    generateHash: async (_query, document) => persistedIdOf(document)?.replace(/^sha256:/, '') ?? '',
  });
}

interface Socket {
  client: SocketClient;
  /** Reconnects (with the current session), resubscribing what is subscribed. */
  restart(): void;
}

function createSocket(options: AcademyClientOptions, session: SessionStore, refresher: SessionRefresher): Socket | null {
  const webSocketImpl = options.webSocketImpl ?? (globalThis as { WebSocket?: unknown }).WebSocket;
  if (!webSocketImpl) return null;
  let open: { close(code: number, reason: string): void } | null = null;
  const client = createSocketClient({
    url: options.wsUrl ?? options.url.replace(/^http/, 'ws'),
    webSocketImpl,
    lazy: true,
    retryAttempts: options.retryAttempts ?? 10,
    // Exponential backoff with jitter: 1 s, 2 s, 4 s ... up to 30 s.
    retryWait: (retries) =>
      new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 1000 * 2 ** retries) * (0.5 + Math.random() / 2))),
    shouldRetry: () => true,
    connectionParams: async () => {
      let current = session.get();
      if (current && isExpired(current)) current = await refresher.refresh(current.token);
      return {
        ...(current ? { authorization: `Bearer ${current.token}` } : {}),
        ...(options.tenant ? { tenant: options.tenant } : {}),
      };
    },
    on: {
      opened: (socket) => {
        open = socket as typeof open;
      },
      closed: () => {
        open = null;
      },
    },
  });
  return {
    client,
    // 4205 is no close code of the protocol: graphql-ws reconnects after it.
    restart: () => open?.close(4205, 'Session changed'),
  };
}

/** The argument by which a subscription asks for the events it missed (the gateway replays them first). */
const REPLAY_ARGUMENT = 'afterEventId';

/**
 * The variable a subscription passes as its field's `afterEventId`, and the field's response
 * key (where each event's `id` is); null when it passes none.
 */
function replayVariableOf(document: DocumentNode): { variable: string; responseKey: string } | null {
  for (const definition of document.definitions) {
    if (definition.kind !== 'OperationDefinition' || definition.operation !== 'subscription') continue;
    for (const selection of definition.selectionSet.selections) {
      if (selection.kind !== 'Field') continue;
      const argument = selection.arguments?.find((candidate) => candidate.name.value === REPLAY_ARGUMENT);
      if (argument?.value.kind === 'Variable')
        return { variable: argument.value.name.value, responseKey: selection.alias?.value ?? selection.name.value };
    }
  }
  return null;
}

function socketExchange(client: SocketClient): Exchange {
  return subscriptionExchange({
    forwardSubscription(request, operation) {
      // A persisted subscription carries no text; the protocol wants `query` to be a string.
      const payload = { ...request, query: request.query ?? '' };
      const replay = replayVariableOf(operation.query);
      return {
        subscribe(sink) {
          // graphql-ws sends this same payload again each time it subscribes after a reconnect:
          // with the last event's id as afterEventId, what happened meanwhile comes first.
          const unsubscribe = client.subscribe(
            payload,
            replay
              ? {
                  ...sink,
                  next(result) {
                    const event = (result.data as Record<string, { id?: unknown } | null> | null | undefined)?.[replay.responseKey];
                    if (typeof event?.id === 'string') payload.variables = { ...payload.variables, [replay.variable]: event.id };
                    sink.next(result);
                  },
                }
              : sink,
          );
          return { unsubscribe };
        },
      };
    },
  });
}
