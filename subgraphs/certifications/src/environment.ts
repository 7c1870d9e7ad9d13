import { checkServiceEnvironment, env, parseEnvironment, serviceEnvironmentShape } from '@academy/platform';

export function certificationsEnvironment() {
  return parseEnvironment(
    'certifications subgraph',
    { ...serviceEnvironmentShape, PORT: env.port(4003) },
    process.env,
    checkServiceEnvironment,
  );
}
