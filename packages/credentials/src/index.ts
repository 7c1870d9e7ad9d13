export * from './issuer-identity';
export * from './open-badge';
export * from './status-list';
export * from './verification-code';
