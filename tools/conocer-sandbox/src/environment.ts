import { z } from 'zod';
import { env, parseEnvironment } from '@academy/platform';

const rate = z.coerce.number().min(0).max(1).default(0);

export function sandboxEnvironment() {
  return parseEnvironment('conocer sandbox', {
    PORT: env.port(4100),
    HOST: z.string().default('127.0.0.1'),
    SANDBOX_CLIENT_ID: z.string().default('academy'),
    SANDBOX_CLIENT_SECRET: z.string().default('academy-sandbox-secret'),
    SANDBOX_TOKEN_TTL_SECONDS: z.coerce.number().int().min(1).default(3600),
    /** `npm start` brings a request to its decision within 30 s. */
    SANDBOX_REVIEW_AFTER_MS: z.coerce.number().int().min(0).default(5_000),
    SANDBOX_DECISION_AFTER_MS: z.coerce.number().int().min(0).default(15_000),
    SANDBOX_APPROVAL_SCORE: z.coerce.number().int().min(0).max(100).default(85),
    SANDBOX_ERROR_RATE: rate,
    SANDBOX_LATENCY_MS: z.coerce.number().int().min(0).default(0),
    SANDBOX_OUTAGE: env.boolean(false),
    SANDBOX_SLOW_RATE: rate,
    SANDBOX_SLOW_MS: z.coerce.number().int().min(0).default(30_000),
    SANDBOX_DUPLICATE_REPLAY_RATE: rate,
  });
}
