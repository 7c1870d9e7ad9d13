import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const SCHEMA_FILE = path.join(REPO_ROOT, 'prisma/schema.prisma');
export const MIGRATIONS_DIR = path.join(REPO_ROOT, 'prisma/migrations');
