export { createConocerSubgraph, typeDefs } from './subgraph';
export { permissions } from './permissions';
export type { ConocerDependencies, SubgraphContext as ConocerContext } from './context';
export * from './delivery';
export { StandardCache } from './repositories/standard-cache';
export { CertificationRequests } from './compliance/certification-requests';
export { SubmissionRepository } from './repositories/submission-repository';
export { CourseFactsRepository } from './repositories/course-facts-repository';
