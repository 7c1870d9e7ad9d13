export * from './service-metrics';
export * from './operation-telemetry';
export * from './tracing';
