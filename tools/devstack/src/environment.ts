import path from 'node:path';
import { z } from 'zod';
import { env, parseEnvironment } from '@academy/platform';

export const REPO_ROOT = path.resolve(__dirname, '../../..');

/** The developer's environment: what they point us at, or nothing and we bring our own. */
export function devstackEnvironment() {
  return parseEnvironment('npm', {
    DATABASE_URL: env.url(['postgres', 'postgresql']).optional(),
    REDIS_URL: env.redisUrl().optional(),
    DATABASE_APP_URL: env.url(['postgres', 'postgresql']).optional(),
    DATABASE_APP_PASSWORD: z.string().min(1).default('academy-app-local'),
    EMBEDDED_POSTGRES_PORT: env.port(54329),
    EMBEDDED_REDIS_PORT: env.port(6390),
    /** Your SMTP server; unset: MailDev on these ports (its inbox and REST API on the web one). */
    SMTP_URL: env.url(['smtp', 'smtps']).optional(),
    MAILDEV_SMTP_PORT: env.port(1025),
    MAILDEV_WEB_PORT: env.port(1080),
    /** Your S3-compatible object storage (with S3_BUCKET and its credentials); unset: s3rver on EMBEDDED_S3_PORT, data under ACADEMY_DATA_DIR/s3. */
    S3_URL: env.url(['http', 'https']).optional(),
    S3_BUCKET: z.string().min(3).default('academy-local'),
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    EMBEDDED_S3_PORT: env.port(4568),
    /** Your Stripe account (with STRIPE_WEBHOOK_SECRET, and STRIPE_API_URL to go elsewhere); unset: the payment sandbox on SUBGRAPH_BASE_PORT + 199. */
    STRIPE_SECRET_KEY: z.string().startsWith('sk_').optional(),
    STRIPE_WEBHOOK_SECRET: z.string().startsWith('whsec_').optional(),
    STRIPE_API_URL: env.url(['http', 'https']).optional(),
    /** The gateway's port. */
    PORT: env.port(4000),
    /** The subgraphs listen on this port and the next ones (users, courses, certifications, conocer, impact; workers' health; notifications, media, commerce). */
    SUBGRAPH_BASE_PORT: env.port(4001),
    ACADEMY_DATA_DIR: z.string().default(path.join(REPO_ROOT, '.data')),
  });
}

export type DevstackEnvironment = ReturnType<typeof devstackEnvironment>;
