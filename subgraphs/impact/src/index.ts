export { createImpactSubgraph, typeDefs } from './subgraph';
export { permissions } from './permissions';
export type { ImpactDependencies, SubgraphContext as ImpactContext } from './context';
export { ImpactAggregation, rollupSince, type RollupRepair } from './aggregation/impact-aggregation';
export { recordCertificationImpact } from './ingestion/certification-impact';
export { GlobalImpactRepository, ImpactAggregateRepository } from './repositories/impact-aggregate-repository';
export { ImpactReports } from './reporting/impact-reports';
