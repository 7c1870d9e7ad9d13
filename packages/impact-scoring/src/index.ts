export * from './model';
export * from './event-points';
export * from './quantities';
export * from './report-scores';
export * from './periods';
export * from './platform-events';
