export * from './workers';
