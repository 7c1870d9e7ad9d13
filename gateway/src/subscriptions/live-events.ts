import type { Redis } from '@academy/platform';
import type { ChannelDefinition } from '@academy/events';
import type { Logger } from '@academy/platform';

type Listener = (event: unknown) => void;

/** What every live channel's payload carries: the tenant it happened in. */
export type LiveChannel = ChannelDefinition<{ tenantId: string }>;

/**
 * The live channels' events of every tenant, from Redis pub/sub (so any number of gateways see
 * every event), handed to this gateway's subscribers of that channel and tenant.
 */
export class LiveEvents {
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(
    private readonly subscriber: Redis,
    private readonly keyPrefix: string,
    private readonly channels: readonly LiveChannel[],
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    const byPattern = new Map(this.channels.map((channel) => [channel.pattern(this.keyPrefix), channel]));
    this.subscriber.on('pmessage', (matched: string, _channel: string, message: string) => {
      const channel = byPattern.get(matched);
      if (!channel) return;
      try {
        const event = channel.decode(message);
        for (const listener of this.listeners.get(`${channel.name}:${event.tenantId}`) ?? []) listener(event);
      } catch (error) {
        this.logger.warn({ channel: channel.name, err: (error as Error).message }, 'unreadable live event');
      }
    });
    await this.subscriber.psubscribe(...byPattern.keys());
  }

  listen<Event>(channel: ChannelDefinition<Event>, tenantId: string, listener: (event: Event) => void): () => void {
    const key = `${channel.name}:${tenantId}`;
    const set = this.listeners.get(key) ?? new Set<Listener>();
    set.add(listener as Listener);
    this.listeners.set(key, set);
    return () => {
      set.delete(listener as Listener);
      if (set.size === 0) this.listeners.delete(key);
    };
  }

  /** Subscriptions this gateway holds (for tests and metrics). */
  get activeListeners(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }
}
