import path from 'node:path';
import { defineSubgraph, loadTypeDefs } from '@academy/graphql-http';
import { contextFactory, type CommerceDependencies, type SubgraphContext } from './context';
import { permissions } from './permissions';
import { resolvers } from './resolvers';

export const typeDefs = loadTypeDefs(path.join(__dirname, '../schema.graphql'));

/** The path the gateway forwards the payment provider's webhooks to (its public `/webhooks/stripe`). */
export const STRIPE_WEBHOOK_PATH = '/webhooks/stripe';

export const createCommerceSubgraph = defineSubgraph<CommerceDependencies, SubgraphContext>({
  name: 'commerce',
  typeDefs,
  resolvers,
  permissions,
  contextFactory,
  routes: (deps) => ({ [STRIPE_WEBHOOK_PATH]: deps.orderPayments.route }),
});
