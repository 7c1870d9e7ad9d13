export * from './define-event';
export * from './domain-events';
export * from './channels';
