import { z } from 'zod';
import { env, parseEnvironment } from '@academy/platform';

const rate = z.coerce.number().min(0).max(1).default(0);
const milliseconds = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

export function sandboxEnvironment() {
  return parseEnvironment(
    'payment sandbox',
    {
      PORT: env.port(4200),
      HOST: z.string().default('127.0.0.1'),
      /** Origin of the URLs handed out (session url, voucher); default the listening address. */
      SANDBOX_PUBLIC_URL: env.url(['http', 'https']).optional(),
      SANDBOX_STRIPE_SECRET_KEY: z.string().min(1).default('sk_test_academy_sandbox'),
      /** One webhook endpoint (more: POST /admin/webhook-endpoints). */
      SANDBOX_STRIPE_WEBHOOK_URL: env.url(['http', 'https']).optional(),
      SANDBOX_STRIPE_WEBHOOK_SECRET: z.string().min(1).default('whsec_academy_sandbox'),
      SANDBOX_WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).default(5),
      SANDBOX_WEBHOOK_BACKOFF_MS: milliseconds(1_000),
      SANDBOX_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(1).default(10_000),
      SANDBOX_ERROR_RATE: rate,
      SANDBOX_TIMEOUT_RATE: rate,
      SANDBOX_SLOW_MS: milliseconds(30_000),
      SANDBOX_LATENCY_MS: milliseconds(0),
      SANDBOX_WEBHOOK_DUPLICATE_RATE: rate,
      SANDBOX_WEBHOOK_DELAY_MS: milliseconds(0),
      SANDBOX_WEBHOOK_REORDER: z.enum(['off', 'reverse', 'shuffle']).default('off'),
      SANDBOX_WEBHOOK_DROP_RATE: rate,
    },
    process.env,
  );
}
