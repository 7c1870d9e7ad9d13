export * from './environment';
export * from './errors';
export * from './logger';
export * from './passwords';
export * from './redis';
export * from './tenancy';
export * from './db/app-role';
export * from './db/client';
export * from './db/database';
// Prisma Client, its model types (User, Course, ...), enums and the Prisma namespace.
export * from './db/generated/prisma/client';
export * from './forwarded-context';
export * from './pagination';
export * from './scalars';
export * from './service-environment';
export * from './loaders';
export * from './cache-keys';
