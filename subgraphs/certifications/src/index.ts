export { createCertificationsSubgraph, typeDefs } from './subgraph';
export { permissions } from './permissions';
export type { CertificationsDependencies, SubgraphContext as CertificationsContext } from './context';
