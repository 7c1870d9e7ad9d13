export * from './access-tokens';
export * from './keys';
export * from './api-keys';
