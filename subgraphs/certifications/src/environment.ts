import { z } from 'zod';
import { checkServiceEnvironment, env, parseEnvironment, serviceEnvironmentShape } from '@academy/platform';
import { storageEnvironmentShape } from '@academy/storage';

export function certificationsEnvironment() {
  return parseEnvironment(
    'certifications subgraph',
    {
      ...serviceEnvironmentShape,
      /** Where certificate and DC-3 PDFs are kept (the media subgraph's bucket). */
      ...storageEnvironmentShape,
      PORT: env.port(4003),
      /** The apps' address per tenant (the gateway's host): certificates' public pages are /verify/<code> there. */
      APP_URL: z.string().includes('{tenant}').default('https://{tenant}.academy.mx'),
      /** The credential keys (as the courses subgraph has them): they sign the tenants' revocation status lists. */
      CREDENTIAL_SIGNING_KEY: z.string().min(1),
      CREDENTIAL_RSA_SIGNING_KEY: z.string().min(1).optional(),
      /** Tenants live at <slug>.<BASE_DOMAIN> (as the courses subgraph and the gateway have it): their did:web and status list URLs. */
      BASE_DOMAIN: z.string().min(1).default('academy.mx'),
    },
    process.env,
    checkServiceEnvironment,
  );
}
