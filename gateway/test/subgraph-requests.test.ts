import { randomUUID } from 'node:crypto';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { FORWARDED_HEADERS, verifyForwardedContext, type TenantRef, type Viewer } from '@academy/platform';
import { incomingContext, startTracing } from '@academy/telemetry';
import type { GatewayContext } from '../src/gateway-context';
import { ForwardedSigner, SignedDataSource } from '../src/supergraph/signed-data-source';
import type { SubgraphAnswer, SubgraphFetcher, SubgraphRequest } from '../src/supergraph/subgraph-fetcher';

const SECRET = 'subgraph-requests-test-secret';
const URL_OF_SUBGRAPH = 'http://subgraph.test/graphql';
const tenant: TenantRef = { id: randomUUID(), slug: 'acme', name: 'Acme', tier: 'PROFESSIONAL' };
const viewer: Viewer = { userId: randomUUID(), tenantId: tenant.id, persona: 'LEARNER' };

const contextOf = (): GatewayContext => ({
  tenant,
  viewer,
  requestId: 'request-1',
  clientAddress: '203.0.113.9',
  arbitraryDocuments: false,
});

/** A fetcher that answers every request with `answer` and keeps what it was sent. */
function fakeFetcher(answer: SubgraphAnswer): { fetcher: SubgraphFetcher; sent: { url: string; init: SubgraphRequest }[] } {
  const sent: { url: string; init: SubgraphRequest }[] = [];
  const fetcher = {
    fetch: async (url: string, init: SubgraphRequest) => {
      sent.push({ url, init });
      return answer;
    },
  } as unknown as SubgraphFetcher;
  return { fetcher, sent };
}

/** What Apollo's RemoteGraphQLDataSource makes of the same answer (as SignedDataSource's fetcher served it before). */
class ApolloDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  sentBody: string | undefined;
  constructor(answer: SubgraphAnswer) {
    super({ url: URL_OF_SUBGRAPH });
    this.fetcher = (async (_url: string, init?: { body?: string | Buffer }) => {
      this.sentBody = String(init?.body);
      const headers = new Headers();
      for (const [name, value] of Object.entries(answer.headers)) {
        for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, one);
      }
      return new Response(answer.text, { status: answer.status, headers });
    }) as unknown as RemoteGraphQLDataSource['fetcher'];
  }
}

/** An operation's cache policy as Apollo Server hands it to data sources: records the hints. */
const cachePolicy = () => {
  const hints: unknown[] = [];
  return { hints, policy: { restrict: (hint: unknown) => hints.push(hint) } };
};

const processOptions = (policy: unknown, context = contextOf()): GraphQLDataSourceProcessOptions<GatewayContext> =>
  ({
    kind: 'incoming operation',
    request: {
      query: 'query Q__products__1($representations:[_Any!]!){_entities(representations:$representations){...on Product{price}}}',
      variables: { representations: [{ __typename: 'Product', upc: '1' }] },
      operationName: 'Q__products__1',
      http: undefined,
    },
    incomingRequestContext: { overallCachePolicy: policy },
    context,
  }) as unknown as GraphQLDataSourceProcessOptions<GatewayContext>;

const json = (text: string, status = 200, headers: Record<string, string> = {}): SubgraphAnswer => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  text,
});

describe("subgraph requests (SignedDataSource: Apollo's RemoteGraphQLDataSource without its per-fetch Request, Headers and Response)", () => {
  it.each([
    ['data', json('{"data":{"_entities":[{"price":899}]}}')],
    ['errors beside data', json('{"data":{"_entities":[null]},"errors":[{"message":"no","path":["_entities",0]}],"extensions":{"x":1}}')],
    ['a public max-age', json('{"data":{"_entities":[]}}', 200, { 'cache-control': 'max-age=60, public' })],
    ['a private max-age', json('{"data":{"_entities":[]}}', 200, { 'cache-control': 'private, max-age="30"' })],
    ['no max-age', json('{"data":{"_entities":[]}}', 200, { 'cache-control': 'no-store' })],
    [
      'a graphql-response+json answer',
      { status: 200, headers: { 'content-type': 'application/graphql-response+json' }, text: '{"data":{}}' },
    ],
  ])('answers %s as Apollo does, body and cache hint alike', async (_label, answer) => {
    const { fetcher, sent } = fakeFetcher(answer);
    const ours = cachePolicy();
    const result = await new SignedDataSource('products', URL_OF_SUBGRAPH, new ForwardedSigner(SECRET), fetcher).process(
      processOptions(ours.policy),
    );
    const apollo = cachePolicy();
    const reference = new ApolloDataSource(answer);
    const { http, ...expected } = await reference.process(processOptions(apollo.policy));
    expect(http).toBeDefined();
    expect(result).toEqual(expected);
    expect(ours.hints).toEqual(apollo.hints);
    expect(sent[0]!.init.body).toBe(reference.sentBody);
  });

  it('refuses what Apollo refuses: a 401 or 403 with its code, a 4xx with a contract code as the subgraph said it, anything else UPSTREAM_UNAVAILABLE', async () => {
    const outcome = async (answer: SubgraphAnswer) => {
      const { fetcher } = fakeFetcher(answer);
      const source = new SignedDataSource('products', URL_OF_SUBGRAPH, new ForwardedSigner(SECRET), fetcher);
      const error = (await source.process(processOptions(cachePolicy().policy)).catch((thrown: unknown) => thrown)) as GraphQLError;
      return { message: error.message, code: error.extensions?.code };
    };
    expect(await outcome(json('{"errors":[{"message":"who?"}]}', 401))).toEqual({ message: '401: ', code: 'UNAUTHENTICATED' });
    expect(await outcome(json('{"errors":[{"message":"no"}]}', 403))).toEqual({ message: '403: ', code: 'FORBIDDEN' });
    expect(await outcome(json('{"errors":[{"message":"Invalid DateTime","extensions":{"code":"BAD_USER_INPUT"}}]}', 400))).toEqual({
      message: 'Invalid DateTime',
      code: 'BAD_USER_INPUT',
    });
    const unavailable = { message: 'A service behind the gateway is temporarily unavailable', code: 'UPSTREAM_UNAVAILABLE' };
    expect(await outcome(json('{"errors":[{"message":"oops","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}', 400))).toEqual(unavailable);
    expect(await outcome(json('{"errors":[{"message":"moved"}]}', 302))).toEqual(unavailable);
    expect(await outcome({ status: 200, headers: { 'content-type': 'text/plain' }, text: 'hello' })).toEqual(unavailable);
    expect(await outcome(json('{"data":'))).toEqual(unavailable);
  });

  it("sends the request's tenant, viewer and client signed, its request id and content type", async () => {
    const { fetcher, sent } = fakeFetcher(json('{"data":{}}'));
    await new SignedDataSource('products', URL_OF_SUBGRAPH, new ForwardedSigner(SECRET), fetcher).process(
      processOptions(cachePolicy().policy),
    );
    const { url, init } = sent[0]!;
    expect(url).toBe(URL_OF_SUBGRAPH);
    expect(init.method).toBe('POST');
    expect(init.headers).toMatchObject({ 'content-type': 'application/json', 'x-request-id': 'request-1' });
    expect(verifyForwardedContext(SECRET, init.headers!)).toEqual({
      ok: true,
      context: { tenant, viewer, clientAddress: '203.0.113.9' },
    });
  });

  it("passes the client's trace on from the request's own trace context, in a process that keeps no async context", async () => {
    // As main.ts starts the gateway's tracing without an OTLP endpoint: no context manager.
    const tracing = startTracing({ service: 'subgraph-requests-test', asyncContext: 'when-recording' });
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const { fetcher, sent } = fakeFetcher(json('{"data":{}}'));
    const source = new SignedDataSource('products', URL_OF_SUBGRAPH, new ForwardedSigner(SECRET), fetcher);
    await source.process(processOptions(cachePolicy().policy, { ...contextOf(), trace: incomingContext({ traceparent }) }));
    await source.process(processOptions(cachePolicy().policy));
    await tracing.shutdown();
    expect(sent.map(({ init }) => init.headers!.traceparent)).toEqual([traceparent, undefined]);
  });

  it('signs a request once while the signature is fresh (a second), then again', () => {
    const signer = new ForwardedSigner(SECRET);
    const context = contextOf();
    const first = signer.headersOf(context, 1_000_000);
    expect(signer.headersOf(context, 1_000_900)).toBe(first);
    const later = signer.headersOf(context, 1_001_001);
    expect(later[FORWARDED_HEADERS.timestamp]).toBe('1001001');
    expect(verifyForwardedContext(SECRET, later, 1_001_001)).toMatchObject({ ok: true });
    // Another request (another context) is signed for itself.
    const other = { ...contextOf(), clientAddress: '198.51.100.7' };
    expect(verifyForwardedContext(SECRET, signer.headersOf(other, 1_000_900), 1_000_900)).toMatchObject({
      ok: true,
      context: { clientAddress: '198.51.100.7' },
    });
  });
});
