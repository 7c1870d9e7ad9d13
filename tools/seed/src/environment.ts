import { z } from 'zod';
import { env, parseEnvironment } from '@academy/platform';

/** `seed` of the production build (containers): the database and the key that signs the demo certificates. */
export function seedEnvironment() {
  return parseEnvironment(
    'seed',
    {
      NODE_ENV: env.nodeEnv(),
      DATABASE_APP_URL: env.url(['postgres', 'postgresql']).optional(),
      DATABASE_URL: env.url(['postgres', 'postgresql']).optional(),
      DATABASE_APP_PASSWORD: z.string().min(1).default('academy-app-local'),
      /** The key the courses and certifications subgraphs sign with: the demo certificates verify with it. */
      CREDENTIAL_SIGNING_KEY: z.string().min(1),
      CREDENTIAL_RSA_SIGNING_KEY: z.string().min(1).optional(),
    },
    process.env,
    (parsed) => (parsed.DATABASE_APP_URL || parsed.DATABASE_URL ? [] : ['DATABASE_APP_URL: required (or DATABASE_URL to derive it from)']),
  );
}
