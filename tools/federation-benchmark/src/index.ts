export * from './data';
export * from './subgraphs';
export * from './query';
export * from './server';
export * from './expected-response';
