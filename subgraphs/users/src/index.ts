export { createUsersSubgraph, typeDefs } from './subgraph';
export { permissions } from './permissions';
export type { SubgraphContext as UsersContext, UsersDependencies } from './context';
