import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLFormattedError } from 'graphql';
import { HttpProblem } from '@academy/graphql-http';
import { PublicError, type Viewer } from '@academy/platform';
import type { GatewayContext } from '../gateway-context';

/** What the CSV exports share: who may download, the supergraph's answer as HTTP, and the CSV itself. */

/** An operation through the whole supergraph, as the gateway's own pages run it. */
export type ExecuteOperation = (
  query: string,
  variables: Record<string, unknown>,
  context: GatewayContext,
) => Promise<{ data?: Record<string, unknown> | null; errors?: readonly GraphQLFormattedError[] }>;

/** The HTTP status of a refusal's contract code. */
const STATUS_OF_CODE: Record<string, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  TENANT_MISMATCH: 403,
  NOT_FOUND: 404,
  TENANT_NOT_FOUND: 404,
  RATE_LIMITED: 429,
  UPSTREAM_UNAVAILABLE: 503,
};

/**
 * The request's context for a download (GET or HEAD): its tenant and a signed-in viewer whom
 * `allowed` lets export; a refusal is the HttpProblem of its code (401, 403 with `forbidden`).
 */
export async function exportContext(
  req: IncomingMessage,
  context: () => Promise<GatewayContext>,
  allowed: (viewer: Viewer) => boolean,
  forbidden: string,
): Promise<GatewayContext & { viewer: Viewer }> {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpProblem(405, 'BAD_USER_INPUT', 'Use GET', { allow: 'GET, HEAD' });
  let gatewayContext: GatewayContext;
  try {
    gatewayContext = await context();
  } catch (error) {
    if (error instanceof PublicError) throw new HttpProblem(STATUS_OF_CODE[error.code] ?? 400, error.code, error.message);
    throw error;
  }
  const { viewer } = gatewayContext;
  if (!viewer) throw new HttpProblem(401, 'UNAUTHENTICATED', 'Authentication required');
  if (!allowed(viewer)) throw new HttpProblem(403, 'FORBIDDEN', forbidden);
  return { ...gatewayContext, viewer };
}

/** The data of an operation's answer; its first error as the HttpProblem of its code. */
export function dataOf(result: Awaited<ReturnType<ExecuteOperation>>): Record<string, unknown> {
  const failure = result.errors?.[0];
  if (failure || !result.data) {
    const code = String(failure?.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
    throw new HttpProblem(STATUS_OF_CODE[code] ?? 500, code, failure?.message ?? 'Internal server error');
  }
  return result.data;
}

/** RFC 4180; a field a spreadsheet would run as a formula is quoted with a leading apostrophe. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Sends rows as a CSV attachment (CRLF line ends, private, not stored). `bom`: a UTF-8 byte order
 * mark first, so that Excel reads accents as UTF-8.
 */
export function sendCsv(
  req: IncomingMessage,
  res: ServerResponse,
  file: { name: string; rows: readonly (readonly string[])[]; bom?: boolean },
): void {
  const body = (file.bom ? '\uFEFF' : '') + file.rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
  res.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${file.name}"`,
    'cache-control': 'private, no-store',
    'content-length': String(Buffer.byteLength(body)),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
