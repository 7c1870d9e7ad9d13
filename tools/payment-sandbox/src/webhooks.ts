import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { StripeEvent } from './objects';

/** `Stripe-Signature` as Stripe writes it: `t=<unix s>,v1=<hex HMAC-SHA256 of "<t>.<payload>" keyed by the whsec_ secret>`. */
export function stripeSignature(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${signature}`;
}

export interface WebhookEndpointOptions {
  url: string;
  /** The signing secret (`whsec_...`) the receiver verifies with. */
  secret: string;
  /** Event types sent to it (`*` and `checkout.session.*` patterns); default every event. */
  enabledEvents?: string[];
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  secret: string;
  enabledEvents: string[];
}

export interface WebhookSettings {
  /** Attempts per delivery (the first included) before giving up. */
  attempts: number;
  /** Wait before the second attempt; doubles for each next one. */
  backoffMs: number;
  /** An attempt without a response by then fails (and is retried). */
  timeoutMs: number;
}

/** Webhook faults (see Faults in sandbox.ts). */
export interface WebhookFaults {
  duplicateRate: number;
  delayMs: number;
  reorder: false | 'reverse' | 'shuffle';
  dropRate: number;
}

/** One attempt to deliver one event to one endpoint, or a delivery dropped by the dropRate fault. */
export interface DeliveryAttempt {
  eventId: string;
  eventType: string;
  endpointId: string;
  url: string;
  /** 1 for the delivery, 2+ for the copies the duplicateRate fault adds. */
  copy: number;
  /** 1 for the first attempt, 2+ for retries (0 when dropped). */
  attempt: number;
  status: 'succeeded' | 'failed' | 'dropped';
  /** The receiver's HTTP status (null: no response). */
  statusCode: number | null;
  error: string | null;
  /** Whether a later attempt follows this failed one. */
  willRetry: boolean;
  /** Real time (ISO 8601) the attempt started. */
  at: string;
  durationMs: number;
}

interface Job {
  event: StripeEvent;
  endpoint: WebhookEndpoint;
  copy: number;
  attempt: number;
}

export function subscribes(endpoint: WebhookEndpoint, type: string): boolean {
  return endpoint.enabledEvents.some(
    (pattern) => pattern === '*' || pattern === type || (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1))),
  );
}

/**
 * Sends events to endpoints after the API response that caused them: events queue for
 * `delayMs` (0: the next turn of the event loop), then the batch goes out one delivery at a
 * time (in reverse or shuffled order under the reorder fault), each failed attempt retried
 * with backoff, without holding the others.
 */
export class WebhookDispatcher {
  readonly attempts: DeliveryAttempt[] = [];
  private queue: { event: StripeEvent; endpoints: WebhookEndpoint[] }[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  /** Batches go out one after the other (first attempts only; retries run on their own timers). */
  private chain: Promise<void> = Promise.resolve();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly requests = new Set<http.ClientRequest>();
  /** Deliveries under way: being sent, or waiting for a retry. */
  private busy = 0;
  private closed = false;

  constructor(
    private readonly settings: () => WebhookSettings,
    private readonly faults: () => WebhookFaults,
    /** The payload of an attempt: the event as it is now (pending_webhooks changes). */
    private readonly payload: (event: StripeEvent) => string,
    private readonly delivered: (event: StripeEvent, endpoint: WebhookEndpoint) => void,
  ) {}

  /** Deliveries not finished: queued, being sent, or waiting for a retry. */
  get pending(): number {
    return this.queue.reduce((total, item) => total + item.endpoints.length, 0) + this.busy;
  }

  enqueue(event: StripeEvent, endpoints: WebhookEndpoint[]): void {
    if (this.closed || endpoints.length === 0) return;
    this.queue.push({ event, endpoints });
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = null;
      const batch = this.queue.splice(0);
      this.busy += batch.reduce((total, item) => total + item.endpoints.length, 0);
      this.chain = this.chain.then(() => this.send(batch)).catch(() => undefined);
    }, this.faults().delayMs);
  }

  close(): void {
    this.closed = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    for (const timer of this.timers) clearTimeout(timer);
    for (const request of this.requests) request.destroy();
    this.queue = [];
  }

  private async send(batch: { event: StripeEvent; endpoints: WebhookEndpoint[] }[]): Promise<void> {
    // Counted as busy while waiting for the chain; each delivery below counts for itself.
    this.busy -= batch.reduce((total, item) => total + item.endpoints.length, 0);
    if (this.closed) return;
    const faults = this.faults();
    if (faults.reorder === 'reverse') batch.reverse();
    if (faults.reorder === 'shuffle') shuffle(batch);
    const jobs: Job[] = [];
    const copies: Job[] = [];
    for (const { event, endpoints } of batch) {
      for (const endpoint of endpoints) {
        if (Math.random() < faults.dropRate) {
          this.record(
            { event, endpoint, copy: 1, attempt: 0 },
            Date.now(),
            { status: 'dropped', statusCode: null, error: 'dropped (dropRate fault)' },
            false,
          );
          continue;
        }
        jobs.push({ event, endpoint, copy: 1, attempt: 1 });
        // Duplicates go out after the batch, as a later redelivery would.
        for (let copy = 2; copy <= 3 && Math.random() < faults.duplicateRate; copy += 1) copies.push({ event, endpoint, copy, attempt: 1 });
      }
    }
    this.busy += jobs.length + copies.length;
    for (const job of [...jobs, ...copies]) {
      if (this.closed) return;
      await this.attempt(job);
    }
  }

  private async attempt(job: Job): Promise<void> {
    const started = Date.now();
    const outcome = await this.post(job);
    if (this.closed) return;
    const settings = this.settings();
    const willRetry = outcome.status === 'failed' && job.attempt < settings.attempts;
    this.record(job, started, outcome, willRetry);
    if (willRetry) {
      const timer = setTimeout(
        () => {
          this.timers.delete(timer);
          void this.attempt({ ...job, attempt: job.attempt + 1 });
        },
        settings.backoffMs * 2 ** (job.attempt - 1),
      );
      this.timers.add(timer);
      return;
    }
    this.busy -= 1;
    if (outcome.status === 'succeeded') this.delivered(job.event, job.endpoint);
  }

  private post(job: Job): Promise<{ status: 'succeeded' | 'failed'; statusCode: number | null; error: string | null }> {
    const body = this.payload(job.event);
    const url = new URL(job.endpoint.url);
    const timeoutMs = this.settings().timeoutMs;
    return new Promise((resolve) => {
      const request = (url.protocol === 'https:' ? https : http).request(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'stripe-signature': stripeSignature(body, job.endpoint.secret),
        },
      });
      this.requests.add(request);
      const done = (outcome: { status: 'succeeded' | 'failed'; statusCode: number | null; error: string | null }) => {
        this.requests.delete(request);
        resolve(outcome);
      };
      request.setTimeout(timeoutMs, () => request.destroy(new Error(`no response within ${timeoutMs} ms`)));
      request.on('response', (response) => {
        response.resume();
        response.on('end', () => {
          const statusCode = response.statusCode ?? 0;
          const ok = statusCode >= 200 && statusCode < 300;
          done({ status: ok ? 'succeeded' : 'failed', statusCode, error: ok ? null : `HTTP ${statusCode}` });
        });
        response.on('error', (error) => done({ status: 'failed', statusCode: response.statusCode ?? null, error: error.message }));
      });
      request.on('error', (error) => done({ status: 'failed', statusCode: null, error: error.message }));
      request.end(body);
    });
  }

  private record(
    job: Job,
    started: number,
    outcome: { status: DeliveryAttempt['status']; statusCode: number | null; error: string | null },
    willRetry: boolean,
  ): void {
    this.attempts.push({
      eventId: job.event.id,
      eventType: job.event.type,
      endpointId: job.endpoint.id,
      url: job.endpoint.url,
      copy: job.copy,
      attempt: job.attempt,
      ...outcome,
      willRetry,
      at: new Date(started).toISOString(),
      durationMs: Date.now() - started,
    });
  }
}

function shuffle<T>(items: T[]): void {
  for (let index = items.length - 1; index > 0; index -= 1) {
    const other = Math.floor(Math.random() * (index + 1));
    [items[index], items[other]] = [items[other]!, items[index]!];
  }
}
