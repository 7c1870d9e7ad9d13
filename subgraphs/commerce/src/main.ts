// The commerce subgraph as a process: `node --import tsx subgraphs/commerce/src/main.ts`.
import { serveSubgraph } from '@academy/graphql-http';
import { commerceEnvironment } from './environment';
import { OrderPayments } from './orders/order-payments';
import { PaymentProvider } from './payments/payment-provider';
import { paymentSettings, stripeClient } from './payments/payment-settings';
import { createCommerceSubgraph } from './subgraph';

serveSubgraph('commerce', commerceEnvironment, async ({ environment, database, logger }) => {
  const settings = paymentSettings(environment);
  const payments = new PaymentProvider(stripeClient(settings), settings.webhookSecret);
  return createCommerceSubgraph({
    database,
    payments,
    orderPayments: new OrderPayments(database, payments, logger),
    appUrl: environment.APP_URL,
    gatewaySecret: environment.GATEWAY_SECRET,
    logger,
    introspection: environment.NODE_ENV !== 'production',
  }) as never;
});
