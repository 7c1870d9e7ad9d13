import path from 'node:path';
import { z } from 'zod';
import { env, parseEnvironment } from '@academy/platform';

export const REPO_ROOT = path.resolve(__dirname, '../../..');

/** The developer's environment: what they point us at, or nothing and we bring our own. */
export function devstackEnvironment() {
  return parseEnvironment('npm', {
    DATABASE_URL: env.url(['postgres', 'postgresql']).optional(),
    REDIS_URL: env.url(['redis', 'rediss']).optional(),
    DATABASE_APP_URL: env.url(['postgres', 'postgresql']).optional(),
    DATABASE_APP_PASSWORD: z.string().min(1).default('academy-app-local'),
    EMBEDDED_POSTGRES_PORT: env.port(54329),
    EMBEDDED_REDIS_PORT: env.port(6390),
    /** The gateway's port. */
    PORT: env.port(4000),
    /** The subgraphs listen on this port and the next four (users, courses, certifications, conocer, impact). */
    SUBGRAPH_BASE_PORT: env.port(4001),
    ACADEMY_DATA_DIR: z.string().default(path.join(REPO_ROOT, '.data')),
  });
}

export type DevstackEnvironment = ReturnType<typeof devstackEnvironment>;
