export * from './personas';
export * from './predicates';
export * from './rules';
export * from './coverage';
