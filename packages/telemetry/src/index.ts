export * from './service-metrics';
export * from './operation-telemetry';
