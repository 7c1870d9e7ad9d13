export * from './open-badge';
export * from './verification-code';
