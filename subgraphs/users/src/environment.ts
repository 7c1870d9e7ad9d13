import { z } from 'zod';
import { checkServiceEnvironment, env, parseEnvironment, serviceEnvironmentShape } from '@academy/platform';

export function usersEnvironment() {
  return parseEnvironment(
    'users subgraph',
    {
      ...serviceEnvironmentShape,
      PORT: env.port(4001),
      /** Private Ed25519 JWK that signs access tokens. */
      AUTH_SIGNING_KEY: z.string().min(1),
      AUTH_ISSUER: z.string().min(1).default('https://academy.mx'),
      AUTH_AUDIENCE: z.string().min(1).default('madfam-academy'),
      AUTH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
      AUTH_REFRESH_TTL_SECONDS: z.coerce
        .number()
        .int()
        .min(300)
        .max(31_536_000)
        .default(30 * 86_400),
    },
    process.env,
    checkServiceEnvironment,
  );
}
