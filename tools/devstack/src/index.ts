// What other tools (the benchmark) run the platform with: the dev secrets and `npm start`'s process specs.
export { devSecrets, generateSecrets, publicJwks, type DevSecrets } from './dev-secrets';
export { freeBasePort, SUBGRAPH_SERVICE_NAMES, supergraphServices, type SupergraphServicesOptions } from './supergraph-services';
export type { ServiceSpec } from './services';
