import { z } from 'zod';
import { env, parseEnvironment } from '@academy/platform';

/** What `npm run bench` provides (the devstack: DATABASE_URL's server or the embedded one, and Redis). */
export function benchEnvironment() {
  return parseEnvironment('bench (run it with `npm run bench`, which provides these)', {
    DATABASE_URL: env.url(['postgres', 'postgresql']),
    REDIS_URL: env.redisUrl(),
    DATABASE_APP_PASSWORD: z.string().min(1).default('academy-app-local'),
  });
}
