export * from './environment';
export * from './fixtures';
