import type { IncomingMessage } from 'node:http';
import { Kind, parse } from 'graphql';
import { HttpProblem } from '@academy/graphql-http';
import type { RejectionReason } from '../telemetry/metrics';
import type { PersistedDocuments } from './persisted-documents';

/** Content types a browser sends cross-site without a CORS preflight. */
const SIMPLE_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

export class RequestRejected extends HttpProblem {
  constructor(
    readonly reason: RejectionReason,
    status: number,
    message: string,
    headers: Record<string, string> = {},
  ) {
    super(status, 'BAD_USER_INPUT', message, headers);
  }
}

/**
 * CSRF prevention (as Apollo Server does it): a request is served only if a browser would have
 * asked first (a preflight) before sending it cross-site: a content type other than the simple
 * ones, or one of the headers `apollo-require-preflight` / `x-apollo-operation-name`.
 */
export function checkPreflighted(req: IncomingMessage): void {
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  const preflighted =
    (type !== '' && !SIMPLE_TYPES.includes(type)) ||
    req.headers['apollo-require-preflight'] !== undefined ||
    req.headers['x-apollo-operation-name'] !== undefined;
  if (!preflighted) {
    throw new RequestRejected(
      'csrf',
      400,
      'This request may come from another site (CSRF): send it with content-type application/json, or with the header apollo-require-preflight',
    );
  }
}

export const SUBSCRIPTION_OVER_HTTP = 'Subscriptions run over graphql-ws (a WebSocket on this same path), not over HTTP';

/**
 * A subscription sent over HTTP, refused before Apollo validates it: graphql-js' rule for
 * subscriptions evaluates @include/@skip and throws (instead of reporting) on an invalid value,
 * which Apollo would answer with a 500. Only a document that mentions `subscription` is parsed
 * here; one that does not parse is Apollo's to answer.
 */
export function checkNotSubscription(source: string | undefined): void {
  if (source === undefined || !source.includes('subscription')) return;
  let document;
  try {
    document = parse(source);
  } catch {
    return;
  }
  if (document.definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION && definition.operation === 'subscription'))
    throw new RequestRejected('subscription-over-http', 400, SUBSCRIPTION_OVER_HTTP);
}

/** One operation per request: an array body (a batch) is refused. */
export function checkSingleOperation(body: unknown): void {
  if (Array.isArray(body)) throw new RequestRejected('batch', 400, 'Batched requests are not accepted: send one operation per request');
}

/**
 * A GraphQL-over-HTTP persisted document request (`{"documentId": "sha256:<hex>", ...}`)
 * becomes the request of its document; an id we never published is refused.
 */
export function withPersistedDocument(body: unknown, documents: PersistedDocuments): unknown {
  if (typeof body !== 'object' || body === null || !('documentId' in body)) return body;
  const { documentId, ...rest } = body as { documentId: unknown; query?: unknown };
  const query = typeof documentId === 'string' ? documents.byId(documentId) : undefined;
  if (query === undefined)
    throw new RequestRejected('unlisted-document', 400, 'Unknown documentId: send one of the published persisted documents');
  return { ...rest, query };
}
