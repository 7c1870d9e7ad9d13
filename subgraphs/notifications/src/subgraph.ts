import path from 'node:path';
import { defineSubgraph, loadTypeDefs } from '@academy/graphql-http';
import { contextFactory, type NotificationsDependencies, type SubgraphContext } from './context';
import { permissions } from './permissions';
import { resolvers } from './resolvers';

export const typeDefs = loadTypeDefs(path.join(__dirname, '../schema.graphql'));

export const createNotificationsSubgraph = defineSubgraph<NotificationsDependencies, SubgraphContext>({
  name: 'notifications',
  typeDefs,
  resolvers,
  permissions,
  contextFactory,
});
