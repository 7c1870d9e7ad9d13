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
    },
    process.env,
    checkServiceEnvironment,
  );
}
