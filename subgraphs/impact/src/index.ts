export { createImpactSubgraph, typeDefs } from './subgraph';
export { permissions } from './permissions';
export type { ImpactDependencies, SubgraphContext as ImpactContext } from './context';
export { ImpactAggregation, rollupSince, type RollupRepair } from './aggregation/impact-aggregation';
export { recordCertificationImpact } from './ingestion/certification-impact';
