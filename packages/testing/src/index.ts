export * from './environment';
export * from './fixtures';
export * from './supergraph';
export * from './live';
export * from './impact-oracle';
export * from './processes';
export * from './metrics';
export * from './stand-in';
