import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { composeFieldSupergraph, expectedTestQueryResponse, startFieldSubgraphs, TEST_QUERY, type FieldSubgraphs } from '../src';

/** The field benchmark's subgraphs answer its TestQuery, through a stock Apollo gateway, as the benchmark expects. */
describe('federation benchmark subgraphs', () => {
  let subgraphs: FieldSubgraphs;
  let server: ApolloServer;
  beforeAll(async () => {
    subgraphs = await startFieldSubgraphs();
    server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: composeFieldSupergraph(subgraphs.urls) }) });
    await server.start();
  });
  afterAll(async () => {
    await server?.stop();
    await subgraphs?.close();
  });

  it('composes the four subgraphs with their @requires and @provides', () => {
    const sdl = composeFieldSupergraph(subgraphs.urls);
    expect(sdl).toContain('shippingEstimate: Int @join__field(graph: INVENTORY, requires: "price weight")');
    expect(sdl).toContain('author: User @join__field(graph: REVIEWS, provides: "username")');
  });

  it('answers TestQuery (about 88 KiB) exactly as built from the data', async () => {
    const response = await server.executeOperation({ query: TEST_QUERY });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    const result = response.body.singleResult;
    expect(result.errors).toBeUndefined();
    expect(result).toEqual(expectedTestQueryResponse());
    const bytes = Buffer.byteLength(JSON.stringify(result));
    expect(bytes).toBeGreaterThan(80_000);
    expect(bytes).toBeLessThan(96_000);
  });
});
