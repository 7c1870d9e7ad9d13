export * from './circuit-board';
export * from './conocer-client';
export * from './standards-sync';
export * from './standards-sync-trigger';
export * from './status-changes';
export * from './submission-delivery';
