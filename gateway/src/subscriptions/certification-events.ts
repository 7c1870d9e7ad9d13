import type { Redis } from 'ioredis';
import { certificationStatusChannel, type conocerStatusChanged, type PayloadOf } from '@academy/events';
import type { Logger } from '@academy/platform';

/** What the workers publish for every certification status change. */
export type CertificationStatusChanged = PayloadOf<typeof conocerStatusChanged>;

type Listener = (event: CertificationStatusChanged) => void;

/**
 * Certification status changes of every tenant, from Redis pub/sub (so any number of gateways
 * see every event), handed to this gateway's subscribers of that tenant.
 */
export class CertificationEvents {
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(
    private readonly subscriber: Redis,
    private readonly keyPrefix: string,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    const pattern = certificationStatusChannel.pattern(this.keyPrefix);
    this.subscriber.on('pmessage', (matched: string, _channel: string, message: string) => {
      if (matched !== pattern) return;
      try {
        const event = certificationStatusChannel.decode(message);
        for (const listener of this.listeners.get(event.tenantId) ?? []) listener(event);
      } catch (error) {
        this.logger.warn({ err: (error as Error).message }, 'unreadable certification event');
      }
    });
    await this.subscriber.psubscribe(pattern);
  }

  listen(tenantId: string, listener: Listener): () => void {
    const set = this.listeners.get(tenantId) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(tenantId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(tenantId);
    };
  }

  /** Subscriptions this gateway holds (for tests and metrics). */
  get activeListeners(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }
}
