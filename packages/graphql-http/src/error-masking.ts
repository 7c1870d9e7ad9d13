import type { GraphQLFormattedError } from 'graphql';
import { databaseUnavailable, isErrorCode, UpstreamUnavailableError, type Logger } from '@academy/platform';

/** Apollo's own request-level codes, all of them the client's fault. */
const CLIENT_REQUEST_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/** Extension fields a client may see besides the code. */
const PUBLIC_EXTENSIONS = ['issues', 'retryAfter'] as const;

/**
 * What leaves a service: a contract code and a message meant for clients, never a stack trace,
 * an internal host or a subgraph name. Unexpected errors become INTERNAL_SERVER_ERROR and are
 * logged in full.
 */
export function maskError(formatted: GraphQLFormattedError, original: unknown, logger?: Logger): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  const base = {
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
  };
  if (isErrorCode(code) && code !== 'INTERNAL_SERVER_ERROR') {
    const extensions: Record<string, unknown> = { code };
    for (const key of PUBLIC_EXTENSIONS) if (formatted.extensions?.[key] !== undefined) extensions[key] = formatted.extensions[key];
    return { message: formatted.message, ...base, extensions };
  }
  if (typeof code === 'string' && CLIENT_REQUEST_CODES.has(code)) {
    return { message: formatted.message, ...base, extensions: { code: 'BAD_USER_INPUT' } };
  }
  // Apollo's refusals without a code of their own (Apollo then says INTERNAL_SERVER_ERROR) but
  // with a 4xx status ("Unsupported persisted query version", "provided sha does not match
  // query"): the client's fault too.
  if ((code === undefined || code === 'INTERNAL_SERVER_ERROR') && clientStatus(original)) {
    return { message: formatted.message, ...base, extensions: { code: 'BAD_USER_INPUT' } };
  }
  // The database out of reach where no unit of work turned it into UPSTREAM_UNAVAILABLE (a direct
  // lookup): the client is told to try again, not that something broke.
  if (databaseUnavailable(original)) {
    logger?.warn({ err: (original as Error).message }, 'database unavailable');
    const unavailable = new UpstreamUnavailableError('The database');
    return { message: unavailable.message, ...base, extensions: { code: unavailable.code } };
  }
  logger?.error({ err: original, message: formatted.message, code }, 'unexpected error');
  return { message: 'Internal server error', ...base, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/** Whether the error carries an HTTP status (Apollo's `extensions.http`) of 400 to 499. */
function clientStatus(original: unknown): boolean {
  const status = (original as { extensions?: { http?: { status?: unknown } } } | null)?.extensions?.http?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}
