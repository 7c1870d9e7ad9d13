import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import { signForwardedContext } from '@academy/platform';
import { inSpan, SpanKind, traceHeaders } from '@academy/telemetry';
import type { GatewayContext } from '../gateway-context';
import type { SubgraphFetcher } from './subgraph-fetcher';

/**
 * Talks to one subgraph: every request carries the request's tenant and viewer, signed with
 * the secret the subgraphs check; a subgraph that cannot be reached is UPSTREAM_UNAVAILABLE
 * for the fields it owns, never a host name or a stack trace.
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
      throw new GraphQLError('A service behind the gateway is temporarily unavailable', { extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
    } finally {
      wait?.end();
    }
  }
}
