import type { LoginMutation } from './generated/graphql.js';

/** A signed-in session: the access token (JWT), the single-use refresh token and who it is. */
export type Session = LoginMutation['login'];

export type SessionListener = (session: Session | null) => void;

/** Where the client keeps the session; `get` returns the same object until the session changes. */
export interface SessionStore {
  get(): Session | null;
  set(session: Session | null): void;
  /** Called after every change; returns the unsubscribe. */
  subscribe(listener: SessionListener): () => void;
}

/**
 * A key-value storage: the browser's `localStorage`/`sessionStorage` as they are, or React
 * Native's AsyncStorage (its promises are awaited: the store fills in when the read resolves).
 */
export interface SessionStorageLike {
  getItem(key: string): string | null | Promise<string | null>;
  setItem(key: string, value: string): void | Promise<void>;
  removeItem(key: string): void | Promise<void>;
}

export const DEFAULT_SESSION_KEY = 'academy.session';

/** The session in memory only: gone when the page or app reloads. */
export function memorySessionStore(initial: Session | null = null): SessionStore {
  let current = initial;
  const listeners = new Set<SessionListener>();
  return {
    get: () => current,
    set(session) {
      current = session;
      for (const listener of [...listeners]) listener(session);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * The session in a key-value storage, so it survives reloads. A synchronous storage is read
 * on every `get` (another tab's refresh is seen at once: refresh tokens are single use);
 * an asynchronous one is read once, `ready` resolving when it has been.
 */
export function webStorageSessionStore(
  storage: SessionStorageLike,
  key: string = DEFAULT_SESSION_KEY,
): SessionStore & { ready: Promise<void> } {
  const listeners = new Set<SessionListener>();
  let raw: string | null = null;
  let current: Session | null = null;
  let asynchronous = false;

  const notify = () => {
    for (const listener of [...listeners]) listener(current);
  };
  const adopt = (value: string | null) => {
    if (value === raw) return;
    raw = value;
    current = parseSession(value);
  };

  let ready = Promise.resolve();
  const first = storage.getItem(key);
  if (isPromise(first)) {
    asynchronous = true;
    ready = first.then(
      (value) => {
        // A sign-in that happened before the read finished wins over what was stored.
        if (current !== null) return;
        adopt(value);
        if (current !== null) notify();
      },
      () => undefined,
    );
  } else {
    adopt(first);
  }

  return {
    ready,
    get() {
      if (!asynchronous) {
        try {
          adopt(storage.getItem(key) as string | null);
        } catch {
          // An unavailable storage: keep what we had.
        }
      }
      return current;
    },
    set(session) {
      raw = session ? JSON.stringify(session) : null;
      current = session;
      try {
        const written = session ? storage.setItem(key, raw!) : storage.removeItem(key);
        if (isPromise(written)) written.catch(() => undefined);
      } catch {
        // A full or unavailable storage (private mode): the session still lives in memory.
      }
      notify();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function parseSession(value: string | null): Session | null {
  if (!value) return null;
  try {
    const session = JSON.parse(value) as Partial<Session> | null;
    if (typeof session?.token !== 'string' || typeof session.refreshToken !== 'string' || typeof session.user?.id !== 'string') return null;
    return session as Session;
  } catch {
    return null;
  }
}

/** Whether the access token is past (or within `skewMs` of) its expiry. */
export function isExpired(session: Session, skewMs = 10_000, now = Date.now()): boolean {
  const expiresAt = Date.parse(session.expiresAt);
  return Number.isFinite(expiresAt) && expiresAt - skewMs <= now;
}
