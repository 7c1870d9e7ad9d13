import type { Redis } from '@academy/platform';
import type { ChannelDefinition } from '@academy/events';
import type { Logger } from '@academy/platform';

type Listener = (event: unknown) => void;

/** After the connection is back: time for ioredis's PSUBSCRIBE (sent right after 'ready') to be in force. */
const RESUBSCRIBE_SETTLE_MS = 100;

/** Told when the connection events arrive on is lost, and when it is back. */
export interface LiveGap {
  lost(): void;
  back(): void;
}

/** What every live channel's payload carries: the tenant it happened in. */
export type LiveChannel = ChannelDefinition<{ tenantId: string }>;

/**
 * A channel and who an event of it may concern: the routes it is handed to (`learner:<id>`,
 * `all`...). A subscriber listens on one route, so an event reaches the few subscriptions it may
 * be for, not every subscription of the tenant (each still checks the event, LiveField.visible).
 */
export interface LiveRouting {
  channel: LiveChannel;
  routes(event: never): readonly string[];
}

/**
 * The live channels' events of every tenant, from Redis pub/sub (so any number of gateways see
 * every event), handed to this gateway's subscribers of that channel, tenant and route.
 */
export class LiveEvents {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly gaps = new Set<LiveGap>();
  private lost = false;
  /** How many times the connection was lost so far: one that changed since a moment saw a gap begin. */
  private losses = 0;

  constructor(
    private readonly subscriber: Redis,
    private readonly keyPrefix: string,
    private readonly channels: readonly LiveRouting[],
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    const byPattern = new Map(this.channels.map((routing) => [routing.channel.pattern(this.keyPrefix), routing]));
    this.subscriber.on('pmessage', (matched: string, _channel: string, message: string) => {
      const routing = byPattern.get(matched);
      if (!routing) return;
      try {
        const event = routing.channel.decode(message);
        const delivered = new Set<Listener>();
        for (const route of routing.routes(event as never)) {
          for (const listener of this.listeners.get(listenerKey(routing.channel.name, event.tenantId, route)) ?? []) {
            // A listener on two of the event's routes gets it once.
            if (delivered.has(listener)) continue;
            delivered.add(listener);
            listener(event);
          }
        }
      } catch (error) {
        this.logger.warn({ channel: routing.channel.name, err: (error as Error).message }, 'unreadable live event');
      }
    });
    // Pub/sub is at most once: what was published while the connection was down is gone. The
    // subscriptions that can replay are told when it is lost and when it is back (ioredis
    // subscribes again right after 'ready'), to ask for what they missed.
    this.subscriber.on('close', () => {
      if (this.lost) return;
      this.lost = true;
      this.losses += 1;
      for (const gap of this.gaps) gap.lost();
    });
    this.subscriber.on('ready', () => {
      if (!this.lost) return;
      this.lost = false;
      setTimeout(() => {
        for (const gap of this.gaps) gap.back();
      }, RESUBSCRIBE_SETTLE_MS).unref();
    });
    await this.subscriber.psubscribe(...byPattern.keys());
  }

  /** Where the connection is: down now, and how many times it was lost so far (compare two readings for a gap between them). */
  connection(): { down: boolean; losses: number } {
    return { down: this.lost, losses: this.losses };
  }

  /** `gap` is told each time the connection to Redis is lost, and when it is back (events may have been missed in between). */
  onGap(gap: LiveGap): () => void {
    this.gaps.add(gap);
    return () => this.gaps.delete(gap);
  }

  listen<Event>(channel: ChannelDefinition<Event>, tenantId: string, route: string, listener: (event: Event) => void): () => void {
    const key = listenerKey(channel.name, tenantId, route);
    const set = this.listeners.get(key) ?? new Set<Listener>();
    set.add(listener as Listener);
    this.listeners.set(key, set);
    let stopped = false;
    return () => {
      // Once: a second call must not drop the set another listener of this key made since.
      if (stopped) return;
      stopped = true;
      set.delete(listener as Listener);
      if (set.size === 0 && this.listeners.get(key) === set) this.listeners.delete(key);
    };
  }

  /** Subscriptions this gateway holds (for tests and metrics). */
  get activeListeners(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }
}

const listenerKey = (channel: string, tenantId: string, route: string) => `${channel}:${tenantId}:${route}`;
