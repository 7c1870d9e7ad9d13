import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { parse, type GraphQLSchema } from 'graphql';
import { IN_STOCK, PRODUCTS, REVIEWS, USERS, type ReviewRow } from './data';

const LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@requires", "@provides"])';

export const SUBGRAPH_NAMES = ['accounts', 'inventory', 'products', 'reviews'] as const;
export type FieldSubgraphName = (typeof SUBGRAPH_NAMES)[number];

/** Each subgraph's SDL, as the benchmark's supergraph composes them (with its @requires and @provides). */
export const TYPE_DEFS: Record<FieldSubgraphName, string> = {
  accounts: `${LINK}
    type Query { me: User user(id: ID!): User users: [User] }
    type User @key(fields: "id") { id: ID! name: String username: String @shareable birthday: Int }`,
  inventory: `${LINK}
    type Product @key(fields: "upc") {
      upc: String!
      weight: Int @external
      price: Int @external
      inStock: Boolean
      shippingEstimate: Int @requires(fields: "price weight")
    }`,
  products: `${LINK}
    type Query { topProducts(first: Int = 5): [Product] }
    type Product @key(fields: "upc") { upc: String! name: String price: Int weight: Int }`,
  reviews: `${LINK}
    type Review @key(fields: "id") { id: ID! body: String product: Product author: User @provides(fields: "username") }
    type User @key(fields: "id") { id: ID! username: String @external reviews: [Review] }
    type Product @key(fields: "upc") { upc: String! reviews: [Review] }`,
};

interface ReviewsUser {
  id: string;
  username: string;
  reviews: ReviewRow[];
}

/** What each subgraph answers (the reference implementation's behaviour, data included). */
const RESOLVERS: Record<FieldSubgraphName, GraphQLResolverMap<unknown>> = {
  accounts: {
    Query: {
      me: () => USERS[0],
      user: (_parent: unknown, { id }: { id: string }) => USERS.find((user) => user.id === id) ?? null,
      users: () => USERS,
    },
    User: { __resolveReference: ({ id }: { id: string }) => USERS.find((user) => user.id === id) ?? null },
  },
  inventory: {
    Product: {
      __resolveReference: ({ upc, price, weight }: { upc: string; price?: number | null; weight?: number | null }) => ({
        upc,
        price,
        weight,
        inStock: IN_STOCK[upc] ?? null,
      }),
      shippingEstimate: ({ price, weight }: { price?: number | null; weight?: number | null }) => {
        if (price === null || price === undefined) return null;
        if (price > 1000) return 0;
        return weight === null || weight === undefined ? null : Math.floor(weight / 2);
      },
    },
  },
  products: {
    Query: { topProducts: (_parent: unknown, { first }: { first: number }) => PRODUCTS.slice(0, first) },
    Product: { __resolveReference: ({ upc }: { upc: string }) => PRODUCTS.find((product) => product.upc === upc) ?? null },
  },
  reviews: {
    Review: {
      __resolveReference: ({ id }: { id: string }) => REVIEWS.find((review) => review.id === id) ?? null,
      product: (review: ReviewRow) => ({ upc: review.productUpc }),
      // Every review's author is the first user, with the first two reviews (as in the reference).
      author: (): ReviewsUser => ({ id: '1', username: 'urigo', reviews: REVIEWS.slice(0, 2) }),
    },
    User: {
      __resolveReference: ({ id }: { id: string }): ReviewsUser => ({ id, username: 'user', reviews: REVIEWS.slice(0, 2) }),
      reviews: (user: ReviewsUser) => user.reviews,
    },
    Product: {
      __resolveReference: ({ upc }: { upc: string }) => ({ upc }),
      reviews: ({ upc }: { upc: string }) => REVIEWS.filter((review) => review.productUpc === upc),
    },
  },
};

export function subgraphSchema(name: FieldSubgraphName): GraphQLSchema {
  return buildSubgraphSchema([{ typeDefs: parse(TYPE_DEFS[name]), resolvers: RESOLVERS[name] }]);
}
