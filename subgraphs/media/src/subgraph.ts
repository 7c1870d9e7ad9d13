import path from 'node:path';
import { defineSubgraph, loadTypeDefs } from '@academy/graphql-http';
import { contextFactory, type MediaDependencies, type SubgraphContext } from './context';
import { permissions } from './permissions';
import { resolvers } from './resolvers';

export const typeDefs = loadTypeDefs(path.join(__dirname, '../schema.graphql'));

export const createMediaSubgraph = defineSubgraph<MediaDependencies, SubgraphContext>({
  name: 'media',
  typeDefs,
  resolvers,
  permissions,
  contextFactory,
});
