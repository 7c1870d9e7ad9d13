import { z } from 'zod';
import { checkServiceEnvironment, env, parseEnvironment, serviceEnvironmentShape } from '@academy/platform';

export function notificationsEnvironment() {
  return parseEnvironment(
    'notifications subgraph',
    { ...serviceEnvironmentShape, PORT: env.port(4007) },
    process.env,
    checkServiceEnvironment,
  );
}

/** Email settings of the process that sends it (the workers). */
export const emailEnvironmentShape = {
  /** The SMTP server (smtp://user:pass@host:587, smtps://... for implicit TLS); development: MailDev. */
  SMTP_URL: env.url(['smtp', 'smtps']).default('smtp://127.0.0.1:1025'),
  /** The sender; each tenant's emails carry its own display name (TenantSettings.emailFrom or its name). */
  MAIL_FROM: z.string().min(3).default('MADFAM Academy <no-reply@academy.mx>'),
  /** The apps' address in emails; {tenant} is the tenant's slug. */
  APP_URL: z.string().includes('{tenant}').default('https://{tenant}.academy.mx'),
  SMTP_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  SMTP_BREAKER_RESET_MS: z.coerce.number().int().min(100).default(30_000),
  EMAIL_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(20),
  EMAIL_BACKOFF_MS: z.coerce.number().int().min(10).default(5_000),
};
