import type { Logger, Viewer } from '@academy/platform';
import type { LiveEvents } from './live-events';
import type { LiveField } from './live-fields';

/**
 * How one subscription catches up after the gateway lost its connection to Redis (what was
 * published meanwhile never arrives), by the kind of its LiveField: `replay` (the events after the
 * last it delivered), `recent` (a feed's items newer than the newest it knew of) or `resync` (the
 * thing as it is now, if it changed).
 */
export interface CatchUp {
  /** The live events are held while it catches up (delivered after the missed ones, each once). */
  readonly holds: boolean;
  /** The connection was lost: notes where to catch up from (`last`: the newest event it has). */
  lost(last: string | null): void;
  /** The connection is back: the missed events, oldest first; 'unavailable': asked again later. */
  missed(): Promise<{ events: readonly unknown[]; onlyIfChanged?: boolean } | 'unavailable'>;
}

/** A question's answer, asked once as the subscriber: the value, 'unavailable' (a subgraph or the database), or null (refused). */
export type Asked<T> = T | 'unavailable' | null;

/** What a catch-up asks of its subscription. */
export interface CatchUpSubscriber {
  viewer: Viewer | null;
  args: Record<string, unknown>;
  /** When it began listening (ISO): a replay that had delivered nothing catches up from then. */
  since: string;
  /** Asks the supergraph as the subscriber, once, in turn with the other subscribe-time questions. */
  ask<T>(query: string, variables: Record<string, unknown>, key: string): Promise<Asked<T>>;
  /** Resolves the event as the subscriber now, in turn, and takes it as the last delivered if nothing was delivered yet. */
  baseline(event: unknown): void;
  logger: Logger;
}

/** The subscription's catch-up, or null for a field that has none. */
export function catchUpOf(live: LiveField<never>, subscriber: CatchUpSubscriber): CatchUp | null {
  if (live.replay && live.distinct) return replayCatchUp(live.replay, subscriber);
  if (live.recent && live.distinct) return recentCatchUp(live.recent, subscriber);
  if (live.resync) return resyncCatchUp(live.resync(subscriber.viewer, subscriber.args), subscriber);
  return null;
}

/**
 * The events after the last one delivered, replayed in order; when none was delivered, the events
 * since the subscription began listening (`replay.since`; a second earlier, for the clocks of the
 * gateway and of the process that stamped the changes), or nothing to ask without it.
 */
function replayCatchUp(replay: NonNullable<LiveField<never>['replay']>, subscriber: CatchUpSubscriber): CatchUp {
  let after: string | null = null;
  return {
    holds: true,
    lost: (last) => (after = last),
    async missed() {
      if (after === null && !replay.since) return { events: [] };
      let from =
        after === null
          ? { query: replay.since!, name: 'since', value: new Date(Date.parse(subscriber.since) - CLOCK_SKEW_MS).toISOString() }
          : { query: replay.query, name: 'after', value: after };
      const forwarded = replay.forwarded.map((name) => [name, subscriber.args[name] ?? null]);
      // Page after page (each at most replay.pageSize), the next one after the last id of the one before.
      const ids: string[] = [];
      for (let page = 0; page < REPLAY_PAGES; page += 1) {
        const events = await subscriber.ask<{ id: string }[]>(
          from.query,
          Object.fromEntries([[from.name, from.value], ...forwarded]),
          'events',
        );
        // Asked again later, from the start (what it delivers is delivered once).
        if (events === 'unavailable') return events;
        if (events === null) {
          subscriber.logger.warn({ [from.name]: from.value }, 'live events not replayed after the events connection came back');
          break;
        }
        ids.push(...events.map((event) => event.id));
        if (events.length < replay.pageSize) break;
        from = { query: replay.query, name: 'after', value: ids.at(-1)! };
      }
      return { events: ids.map((id) => replay.eventOf(id)) };
    },
  };
}

/** How far the gateway's clock may be ahead of the one that stamped the changes (a replay from a time starts that much earlier). */
const CLOCK_SKEW_MS = 1_000;
/** At most this many pages of missed events are asked in one catch-up. */
export const REPLAY_PAGES = 50;

/** A feed's items newer than the newest it knew of (the last delivered, or the feed's newest asked when the connection was lost). */
function recentCatchUp(recent: NonNullable<LiveField<never>['recent']>, subscriber: CatchUpSubscriber): CatchUp {
  let anchor: string | null | undefined;
  const ids = async (): Promise<Asked<string[]>> => {
    const feed = await subscriber.ask<unknown>(recent.query, {}, recent.key);
    return feed === null || feed === 'unavailable' ? feed : recent.ids(feed);
  };
  return {
    holds: true,
    lost(last) {
      anchor = last ?? undefined;
      if (last !== null) return;
      void ids()
        .then((newest) => {
          if (anchor === undefined && Array.isArray(newest)) anchor = newest[0] ?? null;
        })
        .catch(() => undefined);
    },
    async missed() {
      const newest = await ids();
      if (newest === 'unavailable') return newest;
      if (newest === null || anchor === undefined) {
        subscriber.logger.warn('live feed not caught up after the events connection came back');
        return { events: [] };
      }
      const at = anchor === null ? -1 : newest.indexOf(anchor);
      const newer = at === -1 ? newest : newest.slice(0, at);
      return { events: newer.reverse().map((id) => recent.eventOf(id, subscriber.viewer)) };
    },
  };
}

/** The thing as it is now, delivered if it differs from the last delivered (or from the thing when the connection was lost). */
function resyncCatchUp(event: unknown, subscriber: CatchUpSubscriber): CatchUp {
  return {
    holds: false,
    lost: (last) => {
      if (last === null) subscriber.baseline(event);
    },
    missed: async () => ({ events: [event], onlyIfChanged: true }),
  };
}

/** What the gap watcher needs of the subscription's event stream. */
export interface CatchUpStream {
  done(): boolean;
  /** The id of the newest event it has (enqueued or delivered; the client's afterEventId at first): where a catch-up starts. */
  newest(): string | null;
  hold(): void;
  releaseHeld(): void;
  enqueue(event: unknown, onlyIfChanged?: boolean): void;
  logger: Logger;
}

/**
 * Runs a subscription's catch-up on the gateway's Redis gaps: notes where it was when the
 * connection is lost (holding the live events, if it holds), and once it is back (spread over
 * `spreadMs`, since every subscription of the gateway catches up at once) asks what it missed,
 * again after `retryMs` while that finds the database or a subgraph unavailable, delivers it, then
 * the held events. Lost again before it asked, or while it asked: it catches up again from the
 * newest event it has once the connection is back, the held events still held.
 * `lostBefore`: the connection was lost after the subscription began listening but before this
 * watch began (a gap nobody told it of): it catches up as from a loss now.
 * Returns the function that stops it.
 */
export function watchGaps(
  events: LiveEvents,
  catchUp: CatchUp,
  stream: CatchUpStream,
  timing: { spreadMs: number; retryMs: readonly number[] },
  lostBefore = false,
): () => void {
  // A catch-up is owed (set at a loss, cleared once one ran uninterrupted); the connection is down now.
  let gap = false;
  let down = false;
  let asking = false;
  let lostWhileAsking = false;
  let timer: NodeJS.Timeout | null = null;
  const schedule = (run: () => void, ms: number) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, ms);
  };
  const soon = () => schedule(() => void run(0), Math.random() * timing.spreadMs);
  const lost = () => {
    down = true;
    // A catch-up scheduled for the last `back` (or a retry) would ask while the connection is down.
    if (timer) clearTimeout(timer);
    if (asking) lostWhileAsking = true;
    if (gap) return;
    gap = true;
    if (catchUp.holds) stream.hold();
    catchUp.lost(stream.newest());
  };
  const run = async (attempt: number): Promise<void> => {
    if (stream.done() || !gap || down || asking) return;
    asking = true;
    lostWhileAsking = false;
    const missed = await catchUp.missed().catch((error: Error) => {
      stream.logger.warn({ err: error.message }, 'live events not caught up');
      return 'unavailable' as const;
    });
    asking = false;
    if (stream.done()) return;
    if (missed !== 'unavailable') for (const event of missed.events) stream.enqueue(event, missed.onlyIfChanged);
    if (lostWhileAsking || down) {
      // Lost again while it asked: what it found goes out, the held events keep waiting (they may
      // be newer than what the second outage lost), and it catches up again from the newest event
      // it has, once the connection is back (now, if it already is).
      catchUp.lost(stream.newest());
      if (!down) soon();
      return;
    }
    if (missed === 'unavailable' && attempt < timing.retryMs.length) {
      schedule(() => void run(attempt + 1), timing.retryMs[attempt]!);
      return;
    }
    if (missed === 'unavailable') stream.logger.warn('live events not caught up after the events connection came back');
    gap = false;
    if (catchUp.holds) stream.releaseHeld();
  };
  const back = () => {
    down = false;
    soon();
  };
  const stop = events.onGap({ lost, back });
  if (lostBefore) {
    lost();
    if (!events.connection().down) back();
  }
  return () => {
    stop();
    if (timer) clearTimeout(timer);
  };
}
