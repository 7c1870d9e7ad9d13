export * from './access-tokens';
export * from './keys';
