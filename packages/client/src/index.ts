// @academy/client: the SDK of the MADFAM Academy API for browsers and React Native (no React here:
// the hooks are in @academy/client/react).
export { createAcademyClient, type AcademyClient, type AcademyClientOptions } from './client.js';
export {
  DEFAULT_SESSION_KEY,
  isExpired,
  memorySessionStore,
  webStorageSessionStore,
  type Session,
  type SessionListener,
  type SessionStorageLike,
  type SessionStore,
} from './session.js';
export { describeError, ERROR_CODES, type AcademyErrorCode, type DescribedError, type Locale } from './errors.js';
// The typed documents of packages/client-operations/documents (codegen): `graphql`, `useFragment`,
// `FragmentType`, every `*Document` and the operations' result and variables types.
export * from './generated/index.js';
export * from './generated/graphql.js';
