export * from './environment';
export * from './object-storage';
export * from './sniff';
