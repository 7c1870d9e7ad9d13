export * from './sandbox';
export * from './client';
export type * from './objects';
export { stripeSignature, type DeliveryAttempt, type WebhookEndpoint, type WebhookEndpointOptions, type WebhookSettings } from './webhooks';
