import { buildSchema, GraphQLError } from 'graphql';
import { SubscriptionDocuments } from '../src/subscriptions/subscription-documents';

const schema = buildSchema('type Query { a: Int } type Subscription { changed(id: ID!): Int }');
const renamed = buildSchema('type Query { a: Int } type Subscription { moved(id: ID!): Int }');
const DOCUMENT = 'subscription Live($id: ID!) { changed(id: $id) }';

describe('subscription documents read once', () => {
  it('gives every subscriber of one text the same document, read and validated once', () => {
    let validated = 0;
    const documents = new SubscriptionDocuments([() => ((validated += 1), {})]);
    const first = documents.get(schema, DOCUMENT, {});
    const second = documents.get(schema, DOCUMENT, {});
    expect(first.errors).toEqual([]);
    expect(second.document).toBe(first.document);
    expect(validated).toBe(1);
  });

  it('validates again against a new schema, and does not remember what is not valid', () => {
    let validated = 0;
    const documents = new SubscriptionDocuments([() => ((validated += 1), {})]);
    expect(documents.get(schema, DOCUMENT, {}).errors).toEqual([]);
    const refused = documents.get(renamed, DOCUMENT, {});
    expect(refused.errors.map((error) => error.message)).toEqual(['Cannot query field "changed" on type "Subscription".']);
    documents.get(renamed, DOCUMENT, {});
    // Each invalid reading validated (and counted by the limit rules) again.
    expect(validated).toBe(3);
  });

  it('throws what parse throws (a token limit included), remembering nothing', () => {
    const documents = new SubscriptionDocuments([]);
    expect(() => documents.get(schema, 'subscription {', {})).toThrow(GraphQLError);
    expect(() => documents.get(schema, DOCUMENT, { maxTokens: 3 })).toThrow('Document contains more that 3 tokens. Parsing aborted.');
    expect(documents.get(schema, DOCUMENT, {}).errors).toEqual([]);
  });
});
