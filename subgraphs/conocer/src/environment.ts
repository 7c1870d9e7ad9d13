import { checkServiceEnvironment, env, parseEnvironment, serviceEnvironmentShape } from '@academy/platform';

export function conocerEnvironment() {
  return parseEnvironment('conocer subgraph', { ...serviceEnvironmentShape, PORT: env.port(4004) }, process.env, checkServiceEnvironment);
}
