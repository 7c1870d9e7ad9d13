import { z } from 'zod';
import { checkServiceEnvironment, env, parseEnvironment, serviceEnvironmentShape } from '@academy/platform';

export function coursesEnvironment() {
  return parseEnvironment(
    'courses subgraph',
    {
      ...serviceEnvironmentShape,
      PORT: env.port(4002),
      /** Private Ed25519 JWK that signs certificates (Open Badges 3.0 VC-JWT). */
      CREDENTIAL_SIGNING_KEY: z.string().min(1),
      /** Private RSA JWK (2048 bits or more) that signs them RS256 as well; without it, EdDSA only. */
      CREDENTIAL_RSA_SIGNING_KEY: z.string().min(1).optional(),
      /** Tenants live at <slug>.<BASE_DOMAIN>. */
      BASE_DOMAIN: z.string().min(1).default('academy.mx'),
    },
    process.env,
    checkServiceEnvironment,
  );
}
