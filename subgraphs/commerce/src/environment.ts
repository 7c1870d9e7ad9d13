import { checkServiceEnvironment, env, parseEnvironment, serviceEnvironmentShape } from '@academy/platform';
import { paymentEnvironmentShape } from './payments/payment-settings';

export function commerceEnvironment() {
  return parseEnvironment(
    'commerce subgraph',
    { ...serviceEnvironmentShape, ...paymentEnvironmentShape, PORT: env.port(4009) },
    process.env,
    checkServiceEnvironment,
  );
}
