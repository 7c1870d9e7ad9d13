import { checkServiceEnvironment, env, parseEnvironment, serviceEnvironmentShape } from '@academy/platform';

export function impactEnvironment() {
  return parseEnvironment('impact subgraph', { ...serviceEnvironmentShape, PORT: env.port(4005) }, process.env, checkServiceEnvironment);
}
