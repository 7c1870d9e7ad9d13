export { createCommerceSubgraph, typeDefs, STRIPE_WEBHOOK_PATH } from './subgraph';
export { permissions } from './permissions';
export type { CommerceDependencies, SubgraphContext as CommerceContext } from './context';
export { OrderPayments } from './orders/order-payments';
export { OrderReconciliation, NEVER_OPENED, type ReconciliationCounts } from './orders/order-reconciliation';
export { PaymentProvider } from './payments/payment-provider';
export {
  paymentEnvironmentShape,
  paymentSettings,
  stripeClient,
  SANDBOX_SECRET_KEY,
  SANDBOX_WEBHOOK_SECRET,
  type PaymentSettings,
} from './payments/payment-settings';
