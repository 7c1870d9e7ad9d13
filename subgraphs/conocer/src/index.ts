export { createConocerSubgraph, typeDefs } from './subgraph';
export { permissions } from './permissions';
export type { ConocerDependencies, SubgraphContext as ConocerContext } from './context';
