import { Counter, Registry } from 'prom-client';

/** Why the gateway refused a request before any subgraph saw it. */
export type RejectionReason =
  | 'body-size'
  | 'batch'
  | 'csrf'
  | 'get-mutation'
  | 'tokens'
  | 'depth'
  | 'aliases'
  | 'directives'
  | 'cost';

/**
 * The gateway's Prometheus metrics, one registry per gateway (several run in one test
 * process), served at /metrics.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly rejections = new Counter({
    name: 'academy_gateway_rejected_operations_total',
    help: 'Requests refused by the operation limits, by reason',
    labelNames: ['reason', 'transport'] as const,
    registers: [this.registry],
  });

  reject(reason: RejectionReason, transport: 'http' | 'ws' = 'http'): void {
    this.rejections.inc({ reason, transport });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
