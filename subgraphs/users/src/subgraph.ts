import path from 'node:path';
import { defineSubgraph, loadTypeDefs } from '@academy/graphql-http';
import { contextFactory, type UsersDependencies, type SubgraphContext } from './context';
import { permissions } from './permissions';
import { resolvers } from './resolvers';

export const typeDefs = loadTypeDefs(path.join(__dirname, '../schema.graphql'));

export const createUsersSubgraph = defineSubgraph<UsersDependencies, SubgraphContext>({
  name: 'users',
  typeDefs,
  resolvers,
  permissions,
  contextFactory,
});
