import { checkServiceEnvironment, env, parseEnvironment, serviceEnvironmentShape } from '@academy/platform';
import { storageEnvironmentShape } from '@academy/storage';

export function mediaEnvironment() {
  return parseEnvironment(
    'media subgraph',
    { ...serviceEnvironmentShape, ...storageEnvironmentShape, PORT: env.port(4008) },
    process.env,
    checkServiceEnvironment,
  );
}
