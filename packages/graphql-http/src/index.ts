export * from './error-masking';
export * from './http-adapter';
export * from './subgraph-service';
export * from './subgraph-runtime';
export * from './graceful-close';
export * from './input-hygiene';
