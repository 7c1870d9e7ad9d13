import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface LiveSubscription<T> {
  /** Every `next` payload received so far, in order. */
  events: { data?: T; errors?: unknown[] }[];
  /** How the socket closed (when it did). */
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves once `count` events have arrived (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  /** Resolves when the subscription is acknowledged by the server. */
  connected: Promise<void>;
  /** Resolves with what the server refused the operation with (graphql-ws `error` message, or how the socket closed). */
  failed: Promise<unknown>;
  dispose(): Promise<void>;
}

/** A graphql-ws client subscribed to one operation, recording what arrives. */
export function subscribe<T = Record<string, unknown>>(
  origin: string,
  options: {
    query: string;
    variables?: Record<string, unknown>;
    token?: string;
    tenant?: string;
    path?: string;
    headers?: Record<string, string>;
    tenantParam?: string;
  },
): LiveSubscription<T> {
  const events: { data?: T; errors?: unknown[] }[] = [];
  const waiters: { count: number; resolve(): void }[] = [];
  let resolveClosed!: (value: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (resolveClosed = resolve));
  let resolveConnected!: () => void;
  const connected = new Promise<void>((resolve) => (resolveConnected = resolve));
  let resolveFailed!: (value: unknown) => void;
  const failed = new Promise<unknown>((resolve) => (resolveFailed = resolve));
  const headers = { ...(options.tenant ? { 'x-tenant': options.tenant } : {}), ...options.headers };
  class HeaderedWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  const client: Client = createClient({
    url: `${origin.replace(/^http/, 'ws')}${options.path ?? '/graphql'}`,
    webSocketImpl: HeaderedWebSocket,
    retryAttempts: 0,
    lazy: false,
    // Closes are recorded in `closed`; graphql-ws would also print them.
    onNonLazyError: () => undefined,
    connectionParams: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.tenantParam ? { tenant: options.tenantParam } : {}),
    },
    on: {
      connected: () => resolveConnected(),
      closed: (event) => resolveClosed({ code: (event as { code: number }).code, reason: String((event as { reason: string }).reason) }),
    },
  });
  client.subscribe<T>(
    { query: options.query, ...(options.variables ? { variables: options.variables } : {}) },
    {
      next: (value) => {
        events.push(value as { data?: T; errors?: unknown[] });
        for (const waiter of waiters.filter((w) => events.length >= w.count)) waiter.resolve();
      },
      error: (error) => resolveFailed(Array.isArray(error) ? JSON.parse(JSON.stringify(error)) : error),
      complete: () => undefined,
    },
  );
  return {
    events,
    closed,
    connected,
    failed,
    waitFor(count, timeoutMs = 20_000) {
      if (events.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`waited ${timeoutMs} ms for ${count} events, got ${events.length}: ${JSON.stringify(events)}`)),
          timeoutMs,
        );
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
    async dispose() {
      await client.dispose();
    },
  };
}
