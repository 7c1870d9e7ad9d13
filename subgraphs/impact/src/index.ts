export { createImpactSubgraph, typeDefs } from './subgraph';
export { permissions } from './permissions';
export type { ImpactDependencies, SubgraphContext as ImpactContext } from './context';
