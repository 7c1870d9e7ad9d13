import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import { isErrorCode, signForwardedContext } from '@academy/platform';
import { inSpan, SpanKind, traceHeaders } from '@academy/telemetry';
import type { GatewayContext } from '../gateway-context';
import type { SubgraphFetcher } from './subgraph-fetcher';

/**
 * Talks to one subgraph: every request carries the request's tenant and viewer, signed with
 * the secret the subgraphs check; a subgraph that cannot be reached is UPSTREAM_UNAVAILABLE
 * for the fields it owns, never a host name or a stack trace. A subgraph that refuses the
 * request itself (4xx with a contract code: a value the gateway's scalars let through and the
 * subgraph's do not, such as an invalid DateTime) is answered with its refusal.
 */
export class SignedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly secret: string,
    fetcher: SubgraphFetcher,
  ) {
    super({ url, fetcher: fetcher.fetch as unknown as RemoteGraphQLDataSource['fetcher'] });
  }

  override willSendRequest({
    request,
    context,
  }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['willSendRequest']>>[0]): void {
    if (!context.tenant) return;
    const headers = signForwardedContext(this.secret, {
      tenant: context.tenant,
      viewer: context.viewer,
      clientAddress: context.clientAddress,
    });
    for (const [name, value] of Object.entries(headers)) request.http!.headers.set(name, value);
    if (context.requestId) request.http!.headers.set('x-request-id', context.requestId);
    for (const [name, value] of Object.entries(traceHeaders())) request.http!.headers.set(name, value);
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const wait = options.context?.subgraphWait;
    wait?.begin();
    try {
      return await inSpan(`subgraph ${this.subgraph}`, { kind: SpanKind.CLIENT, attributes: { 'graphql.subgraph': this.subgraph } }, () =>
        super.process(options),
      );
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
