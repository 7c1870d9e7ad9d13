import { GATEWAY_NODE_OPTIONS } from '@academy/gateway/node-options';
import { publicJwks, type DevSecrets } from './dev-secrets';
import { portInUse } from './net';
import type { ServiceSpec } from './services';

export interface SupergraphServicesOptions {
  nodeEnv: 'development' | 'production';
  /** The services' role on the platform's database. */
  databaseAppUrl: string;
  redisUrl: string;
  /** Keys of this stack in Redis (several stacks may share one server). */
  redisPrefix?: string;
  secrets: DevSecrets;
  gatewayPort: number;
  gatewayHost: string;
  /** Subgraphs listen on basePort..basePort+4 and +6..+8, workers' health on +5, the CONOCER sandbox on +99, the payment sandbox on +199. */
  basePort: number;
  baseDomain: string;
  /** Development only: the tenant of requests that name none. */
  defaultTenant?: string;
  /** Extra settings of the gateway (e.g. RATE_LIMIT_SCALE for load tests). */
  gatewayEnv?: Record<string, string>;
  /** A Stripe account to take payments with; unset: the payment sandbox (Stripe's API, its own hosted pay page). */
  stripe?: { secretKey: string; webhookSecret: string; apiUrl?: string | undefined } | undefined;
  /** Where the workers send email and the media subgraph (and workers) keep files. */
  messaging: {
    smtpUrl: string;
    s3: { url: string | null; bucket: string; region: string; accessKeyId: string | null; secretAccessKey: string | null };
  };
  /** https://{tenant}.<domain>: the apps' address in emails. */
  appUrl: string;
}

export const SUBGRAPH_SERVICE_NAMES = [
  'users',
  'courses',
  'certifications',
  'conocer',
  'impact',
  'notifications',
  'media',
  'commerce',
] as const;

/**
 * The whole platform as processes: the eight subgraphs, the CONOCER sandbox (the real CONOCER is
 * not reachable from here), the payment sandbox (unless a Stripe account is given), the workers
 * and the gateway, configured alike for `npm start` and the benchmarks.
 */
export function supergraphServices(options: SupergraphServicesOptions): ServiceSpec[] {
  const base = options.basePort;
  const { secrets } = options;
  const common = {
    NODE_ENV: options.nodeEnv,
    LOG_LEVEL: 'info',
    // A HOST of the shell (some set it to the machine's name) would move them off the addresses the gateway calls.
    HOST: '127.0.0.1',
    DATABASE_APP_URL: options.databaseAppUrl,
    REDIS_URL: options.redisUrl,
    ...(options.redisPrefix ? { REDIS_PREFIX: options.redisPrefix } : {}),
    GATEWAY_SECRET: secrets.gatewaySecret,
  };
  const { s3 } = options.messaging;
  const storage = {
    ...(s3.url ? { S3_URL: s3.url } : {}),
    S3_BUCKET: s3.bucket,
    S3_REGION: s3.region,
    ...(s3.accessKeyId ? { S3_ACCESS_KEY_ID: s3.accessKeyId } : {}),
    ...(s3.secretAccessKey ? { S3_SECRET_ACCESS_KEY: s3.secretAccessKey } : {}),
  };
  const credentialKeys = {
    CREDENTIAL_SIGNING_KEY: secrets.credentialSigningKey,
    CREDENTIAL_RSA_SIGNING_KEY: secrets.credentialRsaSigningKey,
    BASE_DOMAIN: options.baseDomain,
  };
  const subgraphs: ServiceSpec[] = [
    { name: 'users', entry: 'subgraphs/users/src/main.ts', port: base, env: { ...common, AUTH_SIGNING_KEY: secrets.authSigningKey } },
    {
      name: 'courses',
      entry: 'subgraphs/courses/src/main.ts',
      port: base + 1,
      env: { ...common, ...credentialKeys },
    },
    {
      name: 'certifications',
      entry: 'subgraphs/certifications/src/main.ts',
      port: base + 2,
      env: { ...common, ...storage, APP_URL: options.appUrl, ...credentialKeys },
    },
    { name: 'conocer', entry: 'subgraphs/conocer/src/main.ts', port: base + 3, env: common },
    { name: 'impact', entry: 'subgraphs/impact/src/main.ts', port: base + 4, env: common },
    // base + 5 is the workers' health port.
    { name: 'notifications', entry: 'subgraphs/notifications/src/main.ts', port: base + 6, env: common },
    { name: 'media', entry: 'subgraphs/media/src/main.ts', port: base + 7, env: { ...common, ...storage } },
  ];
  const paymentsPort = base + 199;
  const stripe = options.stripe;
  // Commerce takes payments; the workers ask about PENDING orders (the order reconciliation).
  const payments: Record<string, string> = stripe
    ? {
        STRIPE_SECRET_KEY: stripe.secretKey,
        STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
        ...(stripe.apiUrl ? { STRIPE_API_URL: stripe.apiUrl } : {}),
      }
    : { STRIPE_API_URL: `http://127.0.0.1:${paymentsPort}` };
  subgraphs.push({
    name: 'commerce',
    entry: 'subgraphs/commerce/src/main.ts',
    port: base + 8,
    env: { ...common, APP_URL: options.appUrl, ...payments },
  });
  const sandboxPort = base + 99;
  const background: ServiceSpec[] = [
    // Decisions within 30 s.
    { name: 'conocer-sandbox', entry: 'tools/conocer-sandbox/src/main.ts', port: sandboxPort, env: { LOG_LEVEL: 'info' } },
    // Stripe's API for checkouts, its webhooks sent to the gateway like Stripe's.
    ...(stripe
      ? []
      : [
          {
            name: 'payment-sandbox',
            entry: 'tools/payment-sandbox/src/main.ts',
            port: paymentsPort,
            env: { LOG_LEVEL: 'info', SANDBOX_STRIPE_WEBHOOK_URL: `http://127.0.0.1:${options.gatewayPort}/webhooks/stripe` },
          },
        ]),
    {
      name: 'workers',
      entry: 'workers/src/main.ts',
      port: base + 5,
      env: {
        ...common,
        CONOCER_URL: `http://127.0.0.1:${sandboxPort}`,
        CONOCER_CLIENT_ID: 'academy',
        CONOCER_CLIENT_SECRET: 'academy-sandbox-secret',
        CONOCER_POLL_MS: '1000',
        CONOCER_POLL_MAX_MS: '5000',
        SMTP_URL: options.messaging.smtpUrl,
        APP_URL: options.appUrl,
        ...storage,
        ...payments,
      },
    },
  ];
  const gateway: ServiceSpec = {
    name: 'gateway',
    entry: 'gateway/src/main.ts',
    nodeOptions: [...GATEWAY_NODE_OPTIONS],
    port: options.gatewayPort,
    env: {
      ...common,
      HOST: options.gatewayHost,
      AUTH_JWKS: publicJwks(secrets.authSigningKey),
      CREDENTIAL_JWKS: publicJwks(secrets.credentialSigningKey, secrets.credentialRsaSigningKey),
      BASE_DOMAIN: options.baseDomain,
      ...(options.defaultTenant ? { DEFAULT_TENANT: options.defaultTenant } : {}),
      SUBGRAPH_URLS: subgraphs.map((spec) => `${spec.name}=http://127.0.0.1:${spec.port}/graphql`).join(','),
      // The web app's browsers upload to and read from the object storage directly (presigned URLs).
      ...(s3.url ? { WEB_APP_STORAGE_ORIGINS: s3.url } : {}),
      ...options.gatewayEnv,
    },
  };
  return [...subgraphs, ...background, gateway];
}

/** A free basePort for supergraphServices (basePort..+7, +99, and +100 for the gateway), for a second stack beside `npm start`. */
export async function freeBasePort(): Promise<number> {
  for (;;) {
    // Below Linux's ephemeral range (32768 and up): an outgoing connection of another process
    // never takes one of these ports between this check and the services' listen.
    const base = 20_000 + Math.floor(Math.random() * 120) * 100;
    const ports = [0, 1, 2, 3, 4, 5, 6, 7, 99, 100].map((offset) => base + offset);
    if (!(await Promise.all(ports.map(portInUse))).some(Boolean)) return base;
  }
}
