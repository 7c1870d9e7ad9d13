// What other tools run the platform with: the dev secrets, `npm start`'s process specs (the
// benchmark), and MailDev and the embedded S3 server (the test harness).
export { generateSecrets, type DevSecrets } from './dev-secrets';
export { freeBasePort, SUBGRAPH_SERVICE_NAMES, supergraphServices } from './supergraph-services';
export { startMailServer, type RunningMailServer } from './mail-server';
export { S3RVER_CREDENTIALS, startObjectStore, type RunningObjectStore } from './object-store';
export { buildWebApp, WEB_APP_DIST } from './web-app-build';
