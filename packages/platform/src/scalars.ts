import { DateTimeResolver, JSONResolver } from 'graphql-scalars';

/** The custom scalars of the contract, shared by every subgraph. */
export const scalarResolvers = { DateTime: DateTimeResolver, JSON: JSONResolver };
