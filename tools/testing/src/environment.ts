import { z } from 'zod';
import { env, parseEnvironment } from '@academy/platform';

/** What `npm test` provides to the global setup: the owner URL of a server, and Redis. */
export function runnerEnvironment() {
  return parseEnvironment('jest (run the tests with `npm test`, which provides these)', {
    DATABASE_URL: env.url(['postgres', 'postgresql']),
    REDIS_URL: env.redisUrl(),
    DATABASE_APP_PASSWORD: z.string().min(1).default('academy-app-local'),
  });
}

/** What the global setup hands every test worker. */
export function testEnvironment() {
  return parseEnvironment('test', {
    DATABASE_URL: env.url(['postgres', 'postgresql']),
    REDIS_URL: env.redisUrl(),
    TEST_DATABASE_URL: env.url(['postgres', 'postgresql']),
    TEST_APP_DATABASE_URL: env.url(['postgres', 'postgresql']),
    TEST_RUN_ID: z.string().min(1),
    TEST_TEMPLATE_DATABASE: z.string().min(1),
    TEST_AUTH_SIGNING_KEY: z.string().min(1),
    TEST_CREDENTIAL_SIGNING_KEY: z.string().min(1),
    TEST_CREDENTIAL_RSA_SIGNING_KEY: z.string().min(1),
    TEST_GATEWAY_SECRET: z.string().min(32),
  });
}
