// What other tools (the benchmark) run the platform with: the dev secrets and `npm start`'s process specs.
export { generateSecrets, type DevSecrets } from './dev-secrets';
export { freeBasePort, SUBGRAPH_SERVICE_NAMES, supergraphServices } from './supergraph-services';
