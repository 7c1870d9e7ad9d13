import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import { isErrorCode, signForwardedContext } from '@academy/platform';
import { activeContextOr, inSpan, SpanKind, traceHeaders } from '@academy/telemetry';
import type { GatewayContext } from '../gateway-context';
import type { SubgraphAnswer, SubgraphFetcher } from './subgraph-fetcher';

/**
 * How long a request's signed forwarded headers are reused by its later subgraph fetches (a
 * query plan fetches from several subgraphs, often one after the other). The subgraphs accept a
 * signature for FORWARDED_MAX_AGE_MS (60 s): one a second old is as good as a fresh one.
 */
const SIGNATURE_REUSE_MS = 1_000;

/**
 * Signs what a request forwards to the subgraphs (its tenant, viewer and client address), once
 * per request while the signature is fresh rather than once per fetch.
 */
export class ForwardedSigner {
  private readonly signed = new WeakMap<GatewayContext, { at: number; headers: Record<string, string> }>();

  constructor(private readonly secret: string) {}

  headersOf(context: GatewayContext, now = Date.now()): Record<string, string> {
    let signed = this.signed.get(context);
    if (!signed || now - signed.at > SIGNATURE_REUSE_MS) {
      const { tenant, viewer, clientAddress } = context;
      signed = { at: now, headers: signForwardedContext(this.secret, { tenant, viewer, clientAddress }, now) };
      this.signed.set(context, signed);
    }
    return signed.headers;
  }
}

/**
 * Talks to one subgraph: every request carries the request's tenant and viewer, signed with
 * the secret the subgraphs check; a subgraph that cannot be reached is UPSTREAM_UNAVAILABLE
 * for the fields it owns, never a host name or a stack trace. A subgraph that refuses the
 * request itself (4xx with a contract code: a value the gateway's scalars let through and the
 * subgraph's do not, such as an invalid DateTime) is answered with its refusal.
 *
 * What Apollo's RemoteGraphQLDataSource does for a request, without its per-fetch node-fetch
 * Request, Headers and Response (a query plan makes a dozen fetches per operation): the same
 * body (`{"query", "variables", "operationName"}`), the subgraph's `Cache-Control` restricting
 * the operation's cache policy, the same errors for a 4xx answer.
 */
export class SignedDataSource implements GraphQLDataSource<GatewayContext> {
  private readonly spanOptions: { kind: SpanKind; attributes: Record<string, string> };

  constructor(
    private readonly subgraph: string,
    readonly url: string,
    private readonly signer: ForwardedSigner,
    private readonly fetcher: SubgraphFetcher,
  ) {
    this.spanOptions = { kind: SpanKind.CLIENT, attributes: { 'graphql.subgraph': subgraph } };
  }

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const wait = options.context?.subgraphWait;
    wait?.begin();
    try {
      return await inSpan(`subgraph ${this.subgraph}`, this.spanOptions, () => this.send(options));
    } catch (error) {
      if (error instanceof GraphQLError && typeof error.extensions?.code === 'string' && error.extensions.code !== 'INTERNAL_SERVER_ERROR')
        throw error;
      const refusal = subgraphRefusal(error);
      if (refusal) throw refusal;
      throw new GraphQLError('A service behind the gateway is temporarily unavailable', { extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
    } finally {
      wait?.end();
    }
  }

  private async send(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { http, query, ...rest } = options.request;
    if (!query) throw new Error('Missing query');
    const headers: Record<string, string> = {};
    // Headers Apollo Gateway asks for (a federated trace, when usage reporting is on).
    if (http?.headers) for (const [name, value] of http.headers) headers[name] = headers[name] ? `${headers[name]}, ${value}` : value;
    headers['content-type'] = 'application/json';
    this.forward(options.context as GatewayContext | undefined, headers);
    const answer = await this.fetcher.fetch(this.url, { method: 'POST', headers, body: JSON.stringify({ query, ...rest }) });
    if (answer.status < 200 || answer.status > 299) throw errorOfAnswer(answer);
    const body = parseBody(answer);
    if (typeof body !== 'object' || body === null) throw new Error(`Expected JSON response body, but received: ${String(body)}`);
    const policy = 'incomingRequestContext' in options ? options.incomingRequestContext.overallCachePolicy : undefined;
    if (policy && 'restrict' in policy) policy.restrict(cacheHintOf(headerOf(answer, 'cache-control')));
    return body as GatewayGraphQLResponse;
  }

  /** The request's tenant, viewer and client signed for the subgraph, its request id and trace context. */
  private forward(context: GatewayContext | undefined, headers: Record<string, string>): void {
    if (!context?.tenant) return;
    Object.assign(headers, this.signer.headersOf(context));
    if (context.requestId) headers['x-request-id'] = context.requestId;
    Object.assign(headers, traceHeaders(activeContextOr(context.trace)));
  }
}

function headerOf(answer: SubgraphAnswer, name: string): string | undefined {
  const value = answer.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The answer's body: parsed when it says it is JSON (as RemoteGraphQLDataSource's parseBody), else its text. */
function parseBody(answer: SubgraphAnswer): unknown {
  const type = headerOf(answer, 'content-type');
  return type && (type.startsWith('application/json') || type.startsWith('application/graphql-response+json'))
    ? JSON.parse(answer.text)
    : answer.text;
}

/** A subgraph's non-2xx answer as RemoteGraphQLDataSource's errorFromResponse makes it. */
function errorOfAnswer(answer: SubgraphAnswer): GraphQLError {
  const extensions: Record<string, unknown> = { response: { url: '', status: answer.status, statusText: '', body: parseBody(answer) } };
  if (answer.status === 401) extensions.code = 'UNAUTHENTICATED';
  else if (answer.status === 403) extensions.code = 'FORBIDDEN';
  return new GraphQLError(`${answer.status}: `, { extensions });
}

/** A subgraph's `Cache-Control` as a cache hint (as RemoteGraphQLDataSource reads it): no max-age is 0. */
function cacheHintOf(header: string | undefined): { maxAge: number; scope?: 'PRIVATE' | 'PUBLIC' } {
  const directives: Record<string, string | true> = {};
  for (const part of header ? header.trim().split(/\s*,\s*/) : []) {
    const [name, value] = part.split(/\s*=\s*/, 2);
    directives[name!] = value === undefined ? true : value.replace(/^"|"$/g, '');
  }
  const maxAge = directives['max-age'];
  return {
    maxAge: typeof maxAge === 'string' && /^[0-9]+$/.test(maxAge) ? Number(maxAge) : 0,
    ...(directives.private === true ? { scope: 'PRIVATE' as const } : {}),
    ...(directives.public === true ? { scope: 'PUBLIC' as const } : {}),
  };
}

/** The subgraph's own refusal of the request: a 4xx answer whose first error has a contract code (INTERNAL_SERVER_ERROR aside). */
function subgraphRefusal(error: unknown): GraphQLError | null {
  const response = (error as GraphQLError | null)?.extensions?.response as { status?: number; body?: unknown } | undefined;
  if (!response || typeof response.status !== 'number' || response.status < 400 || response.status >= 500) return null;
  const first = (response.body as { errors?: { message?: unknown; extensions?: { code?: unknown } }[] } | null)?.errors?.[0];
  const code = first?.extensions?.code;
  if (typeof first?.message !== 'string' || !isErrorCode(code) || code === 'INTERNAL_SERVER_ERROR') return null;
  return new GraphQLError(first.message, { extensions: { code } });
}
