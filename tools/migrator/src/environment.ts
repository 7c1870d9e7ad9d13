import { z } from 'zod';
import { env, parseEnvironment } from '@academy/platform';

export function migratorEnvironment() {
  return parseEnvironment('migrator', {
    DATABASE_URL: env.url(['postgres', 'postgresql']),
    DATABASE_APP_URL: env.url(['postgres', 'postgresql']).optional(),
    DATABASE_APP_PASSWORD: z.string().min(1).default('academy-app-local'),
  });
}
