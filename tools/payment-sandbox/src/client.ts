// A typed client for the sandbox's /admin API and hosted page, for tests that run the sandbox
// as a process (or in this one) and talk to it over HTTP.
import type { DeliveryList, Faults, PayOutcome, PayResult, SandboxClock, SandboxStats } from './sandbox';
import type { DeliveryAttempt, WebhookEndpoint, WebhookEndpointOptions } from './webhooks';

/** An answer of the sandbox other than 2xx. */
export class PaymentSandboxError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`payment sandbox answered ${status}: ${JSON.stringify(body)}`);
  }
}

export class PaymentSandboxClient {
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
  }

  clock(): Promise<SandboxClock> {
    return this.request('GET', '/admin/clock');
  }

  /** Moves the sandbox clock forward; sessions and vouchers that fall due expire (their events follow). */
  advanceClock(seconds: number): Promise<SandboxClock> {
    return this.request('POST', '/admin/clock', { advanceSeconds: seconds });
  }

  faults(): Promise<Faults> {
    return this.request('GET', '/admin/faults');
  }

  /** Changes the given faults; `reorder: true` means 'reverse'. */
  setFaults(faults: Partial<Omit<Faults, 'reorder'>> & { reorder?: Faults['reorder'] | boolean }): Promise<Faults> {
    return this.request('POST', '/admin/faults', faults);
  }

  /** No faults. */
  reset(): Promise<Faults> {
    return this.request('POST', '/admin/reset');
  }

  deliveries(filter: { eventId?: string; type?: string } = {}): Promise<DeliveryList> {
    const query = new URLSearchParams();
    if (filter.eventId) query.set('event', filter.eventId);
    if (filter.type) query.set('type', filter.type);
    return this.request('GET', `/admin/deliveries${query.size > 0 ? `?${query}` : ''}`);
  }

  /** Waits until no delivery is pending (each succeeded, was dropped or ran out of attempts); returns every attempt. */
  async waitForDeliveries(timeoutMs = 15_000): Promise<DeliveryAttempt[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const list = await this.deliveries();
      if (list.pending === 0) return list.data;
      if (Date.now() > deadline) throw new Error(`payment sandbox: ${list.pending} webhook deliveries still pending after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  addWebhookEndpoint(endpoint: WebhookEndpointOptions): Promise<WebhookEndpoint> {
    return this.request('POST', '/admin/webhook-endpoints', endpoint);
  }

  webhookEndpoints(): Promise<{ data: WebhookEndpoint[] }> {
    return this.request('GET', '/admin/webhook-endpoints');
  }

  stats(): Promise<SandboxStats> {
    return this.request('GET', '/admin/stats');
  }

  /** The customer presses Pay (`succeeded`) or Decline (`declined`) on the hosted page. */
  pay(sessionId: string, outcome: PayOutcome): Promise<PayResult> {
    return this.request('POST', `/pay/${encodeURIComponent(sessionId)}`, { outcome });
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : null;
    if (!response.ok) throw new PaymentSandboxError(response.status, parsed);
    return parsed as T;
  }
}
