import path from 'node:path';
import { defineSubgraph, loadTypeDefs } from '@academy/graphql-http';
import { LoginDecisions } from './auth/login-decisions';
import { contextFactory, type UsersDependencies, type SubgraphContext } from './context';
import { permissions } from './permissions';
import { resolvers } from './resolvers';

export const typeDefs = loadTypeDefs(path.join(__dirname, '../schema.graphql'));

const defined = defineSubgraph<UsersDependencies, SubgraphContext>({
  name: 'users',
  typeDefs,
  resolvers,
  permissions,
  contextFactory,
});

/** The users subgraph; its login decisions are counted on its own /metrics. */
export const createUsersSubgraph: typeof defined = async (deps) => {
  const loginDecisions = deps.loginDecisions ?? new LoginDecisions(deps.logger);
  const service = await defined({ ...deps, loginDecisions });
  loginDecisions.countIn(service.metrics);
  return service;
};
