import Stripe from 'stripe';
import { z } from 'zod';
import { env } from '@academy/platform';

/** The payment sandbox's well-known keys (tools/payment-sandbox): what `npm start` and the tests use. */
export const SANDBOX_SECRET_KEY = 'sk_test_academy_sandbox';
export const SANDBOX_WEBHOOK_SECRET = 'whsec_academy_sandbox';

/**
 * Where payments go. STRIPE_SECRET_KEY unset: the project's payment sandbox at STRIPE_API_URL
 * (http://127.0.0.1:4200 by default), which speaks Stripe's API; set: Stripe itself, unless
 * STRIPE_API_URL points elsewhere. In production a sandbox is only ever named on purpose
 * (STRIPE_API_URL, as the benchmarks do): without either, the service does not start.
 */
export const paymentEnvironmentShape = {
  STRIPE_SECRET_KEY: z.string().startsWith('sk_').optional(),
  /** The API's origin; unset with a key: api.stripe.com. */
  STRIPE_API_URL: env.url(['http', 'https']).optional(),
  /** The webhook endpoint's signing secret (whsec_...). */
  STRIPE_WEBHOOK_SECRET: z.string().startsWith('whsec_').optional(),
  /** The apps' address per tenant: where the provider sends the buyer back after paying. */
  APP_URL: z.string().includes('{tenant}').default('https://{tenant}.academy.mx'),
};

export interface PaymentSettings {
  secretKey: string;
  /** null: api.stripe.com. */
  apiUrl: string | null;
  webhookSecret: string;
}

export function paymentSettings(parsed: {
  NODE_ENV: string;
  STRIPE_SECRET_KEY?: string | undefined;
  STRIPE_API_URL?: string | undefined;
  STRIPE_WEBHOOK_SECRET?: string | undefined;
}): PaymentSettings {
  if (parsed.NODE_ENV === 'production' && parsed.STRIPE_SECRET_KEY && !parsed.STRIPE_WEBHOOK_SECRET)
    throw new Error('STRIPE_WEBHOOK_SECRET is required with STRIPE_SECRET_KEY in production');
  if (parsed.NODE_ENV === 'production' && !parsed.STRIPE_SECRET_KEY && !parsed.STRIPE_API_URL)
    throw new Error('STRIPE_SECRET_KEY (or STRIPE_API_URL naming a payment sandbox) is required in production');
  if (!parsed.STRIPE_SECRET_KEY)
    return {
      secretKey: SANDBOX_SECRET_KEY,
      apiUrl: parsed.STRIPE_API_URL ?? 'http://127.0.0.1:4200',
      webhookSecret: parsed.STRIPE_WEBHOOK_SECRET ?? SANDBOX_WEBHOOK_SECRET,
    };
  return { secretKey: parsed.STRIPE_SECRET_KEY, apiUrl: parsed.STRIPE_API_URL ?? null, webhookSecret: parsed.STRIPE_WEBHOOK_SECRET ?? '' };
}

/** Stripe's official client, pointed at the settings' API (the SDK's host, port and protocol settings). */
export function stripeClient(settings: PaymentSettings, timeoutMs = 10_000): Stripe {
  const url = settings.apiUrl ? new URL(settings.apiUrl) : null;
  return new Stripe(settings.secretKey, {
    maxNetworkRetries: 2,
    timeout: timeoutMs,
    telemetry: false,
    ...(url
      ? {
          host: url.hostname,
          port: url.port || (url.protocol === 'https:' ? 443 : 80),
          protocol: url.protocol === 'https:' ? 'https' : 'http',
        }
      : {}),
  });
}
