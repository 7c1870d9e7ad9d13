import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { checkServiceEnvironment, env, parseEnvironment, serviceEnvironmentShape } from '@academy/platform';

const jwks = z.string().transform((value, context) => {
  try {
    const parsed = JSON.parse(value) as { keys?: unknown };
    if (Array.isArray(parsed.keys)) return parsed as { keys: import('jose').JWK[] };
  } catch {
    // reported below
  }
  context.addIssue({ code: 'custom', message: 'must be a JWKS document: {"keys": [...]}' });
  return z.NEVER;
});

export function gatewayEnvironment() {
  return parseEnvironment(
    'gateway',
    {
      ...serviceEnvironmentShape,
      PORT: env.port(4000),
      REDIS_PREFIX: z.string().default('academy:'),
      SUPERGRAPH_FILE: z.string().default(path.resolve(__dirname, '../../supergraph.graphql')),
      /** name=url,name=url: routing URLs that replace the supergraph's. */
      SUBGRAPH_URLS: z
        .string()
        .default('')
        .transform((value) =>
          Object.fromEntries(
            value
              .split(',')
              .filter(Boolean)
              .map((pair) => pair.split('=', 2) as [string, string]),
          ),
        ),
      /** Deadline of a subgraph request, and per subgraph (name=ms,name=ms). */
      SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
      SUBGRAPH_TIMEOUTS: z
        .string()
        .default('')
        .transform((value) =>
          Object.fromEntries(
            value
              .split(',')
              .filter(Boolean)
              .map((pair) => [pair.split('=')[0]!, { timeoutMs: Number(pair.split('=')[1]) }]),
          ),
        ),
      /** Public keys that verify access tokens. */
      AUTH_JWKS: jwks,
      /** Public keys that verify certificates (Ed25519, and RSA when certificates are signed RS256 too); published with the above at /.well-known/jwks.json and in each tenant's /.well-known/did.json. */
      CREDENTIAL_JWKS: jwks,
      AUTH_ISSUER: z.string().min(1).default('https://academy.mx'),
      AUTH_AUDIENCE: z.string().min(1).default('madfam-academy'),
      AUTH_EXTERNAL_JWKS_URL: env.url(['https', 'http']).optional(),
      AUTH_EXTERNAL_ISSUER: z.string().optional(),
      AUTH_EXTERNAL_AUDIENCE: z.string().optional(),
      AUTH_EXTERNAL_ALGORITHMS: z
        .string()
        .default('RS256')
        .transform((value) => value.split(',').map((alg) => alg.trim())),
      AUTH_EXTERNAL_TENANT_CLAIM: z.string().default('tid'),
      AUTH_EXTERNAL_PERSONA_CLAIM: z.string().default('persona'),
      BASE_DOMAIN: z.string().min(1).default('academy.mx'),
      /** enforce: only persisted documents run (unless a tenant allows arbitrary ones); allow: any. Default: enforce in production. */
      PERSISTED_DOCUMENTS: z.enum(['enforce', 'allow']).optional(),
      /** Every rate-limit budget multiplied by this (load tests, staging); 1 in production. */
      RATE_LIMIT_SCALE: z.coerce.number().positive().default(1),
      /** Proxies in front of the gateway whose X-Forwarded-For entries are trusted. */
      TRUSTED_PROXIES: z.coerce.number().int().min(0).default(0),
      /** Gateway processes sharing the port (node:cluster): a number, or `auto` for one per core. */
      GATEWAY_WORKERS: z
        .union([z.literal('auto'), z.coerce.number().int().min(1).max(64)])
        .default(1)
        .transform((value) => (value === 'auto' ? os.availableParallelism() : value)),
      /** The built web app served at / and /t/<slug>/ (default apps/web/dist when it exists; `off`: none). */
      WEB_APP_DIR: z.string().min(1).optional(),
      /**
       * Where browsers PUT uploads and GET files (the S3 endpoint's public origin, space-separated
       * when more than one): allowed by the web app's Content-Security-Policy. Unset: S3_URL's origin.
       */
      WEB_APP_STORAGE_ORIGINS: z
        .string()
        .optional()
        .transform((value) => value?.split(/\s+/).filter(Boolean))
        .pipe(z.array(z.url({ protocol: /^https?$/ })).optional()),
      S3_URL: z.url({ protocol: /^https?$/ }).optional(),
      /** Development convenience: the tenant of requests that name none. */
      DEFAULT_TENANT: z.string().optional(),
    },
    process.env,
    (parsed) => [
      ...checkServiceEnvironment(parsed),
      ...(parsed.AUTH_EXTERNAL_JWKS_URL && (!parsed.AUTH_EXTERNAL_ISSUER || !parsed.AUTH_EXTERNAL_AUDIENCE)
        ? ['AUTH_EXTERNAL_ISSUER, AUTH_EXTERNAL_AUDIENCE: required with AUTH_EXTERNAL_JWKS_URL']
        : []),
      ...(parsed.NODE_ENV === 'production' && parsed.DEFAULT_TENANT ? ['DEFAULT_TENANT: not allowed in production'] : []),
    ],
  );
}
