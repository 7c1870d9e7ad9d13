import { createLogger } from '@academy/platform';
import { catchUpOf, watchGaps, type CatchUp, type CatchUpStream } from '../src/subscriptions/catch-up';
import { LiveEvents, type LiveGap } from '../src/subscriptions/live-events';
import { LIVE_CHANNELS, LIVE_FIELDS } from '../src/subscriptions/live-fields';
import { certificationStatusChannel } from '@academy/events';

const logger = createLogger({ service: 'test', level: 'silent' });
const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

/** watchGaps on a connection the test drops and brings back, with a stream that records what it is asked. */
function watched(catchUp: CatchUp, lostBefore = false, down = false) {
  let gap: LiveGap | undefined;
  const events = {
    onGap: (watcher: LiveGap) => ((gap = watcher), () => undefined),
    connection: () => ({ down, losses: 1 }),
  } as unknown as LiveEvents;
  const calls: string[] = [];
  const stream: CatchUpStream = {
    done: () => false,
    newest: () => 'e1',
    hold: () => void calls.push('hold'),
    releaseHeld: () => void calls.push('release'),
    enqueue: (event) => void calls.push(`enqueue ${String(event)}`),
    logger,
  };
  const stop = watchGaps(events, catchUp, stream, { spreadMs: 0, retryMs: [10] }, lostBefore);
  return { calls, stop, lost: () => gap!.lost(), back: () => gap!.back() };
}

describe('catching up after the Redis connection was lost', () => {
  it('holds the live events once per gap and releases them once, after the missed ones', async () => {
    const from: (string | null)[] = [];
    const { calls, stop, lost, back } = watched({
      holds: true,
      lost: (last) => void from.push(last),
      missed: async () => ({ events: ['e2', 'e3'] }),
    });
    lost();
    lost();
    back();
    await tick();
    expect({ calls, from }).toEqual({ calls: ['hold', 'enqueue e2', 'enqueue e3', 'release'], from: ['e1'] });
    stop();
  });

  it('never releases for a catch-up that does not hold (a resync): holds and releases stay paired', async () => {
    const { calls, stop, lost, back } = watched({ holds: false, lost: () => undefined, missed: async () => ({ events: ['now'] }) });
    for (let i = 0; i < 2; i += 1) {
      lost();
      back();
      await tick();
    }
    expect(calls).toEqual(['enqueue now', 'enqueue now']);
    stop();
  });

  it('asks again while the answer is unavailable, holding the live events until it has one', async () => {
    const answers: ('unavailable' | { events: string[] })[] = ['unavailable', { events: ['e2'] }];
    const { calls, stop, lost, back } = watched({ holds: true, lost: () => undefined, missed: async () => answers.shift()! });
    lost();
    back();
    await tick();
    await tick();
    expect(calls).toEqual(['hold', 'enqueue e2', 'release']);
    stop();
  });
  it('catches up a loss nobody told it of (lost after the subscription began listening, before the watch began)', async () => {
    const from: (string | null)[] = [];
    const catchUp: CatchUp = { holds: true, lost: (last) => void from.push(last), missed: async () => ({ events: ['e2'] }) };
    const up = watched(catchUp, true);
    await tick();
    expect({ calls: up.calls, from }).toEqual({ calls: ['hold', 'enqueue e2', 'release'], from: ['e1'] });
    up.stop();
    // Still down: it waits for the connection to be back.
    const down = watched(catchUp, true, true);
    await tick();
    expect(down.calls).toEqual(['hold']);
    down.back();
    await tick();
    expect(down.calls).toEqual(['hold', 'enqueue e2', 'release']);
    down.stop();
  });
});

describe('what a certification subscription asks when it catches up', () => {
  const asked: { query: string; variables: Record<string, unknown> }[] = [];
  const catchUp = catchUpOf(LIVE_FIELDS.certificationStatusChanged!, {
    viewer: null,
    args: { certificateId: 'c1' },
    since: '2026-12-02T10:00:00.000Z',
    logger,
    ask: async <T>(query: string, variables: Record<string, unknown>) => {
      asked.push({ query: query.split('(')[0]!, variables });
      return [{ id: 'e7' }, { id: 'e8' }] as T;
    },
    baseline: () => undefined,
  })!;

  it('asks for the changes after the last one it delivered, or, having delivered none, since it subscribed (a second earlier)', async () => {
    catchUp.lost('e6');
    const after = await catchUp.missed();
    catchUp.lost(null);
    const since = await catchUp.missed();
    const event = (id: string) => ({ changeId: id, learnerId: '', certificateId: '' });
    expect({ after, since, asked }).toEqual({
      after: { events: [event('e7'), event('e8')] },
      since: { events: [event('e7'), event('e8')] },
      asked: [
        { query: 'query LiveReplay', variables: { after: 'e6', certificateId: 'c1' } },
        { query: 'query LiveReplaySince', variables: { since: '2026-12-02T09:59:59.000Z', certificateId: 'c1' } },
      ],
    });
  });
});

describe('a certification catch-up after a busy outage', () => {
  it('asks page after page, each after the last id of the one before, until one is not full', async () => {
    const pages = [Array.from({ length: 100 }, (_, i) => ({ id: `e${i + 1}` })), [{ id: 'e101' }, { id: 'e102' }]];
    const asked: Record<string, unknown>[] = [];
    const catchUp = catchUpOf(LIVE_FIELDS.certificationStatusChanged!, {
      viewer: null,
      args: {},
      since: '2026-12-02T10:00:00.000Z',
      logger,
      ask: async <T>(_query: string, variables: Record<string, unknown>) => (asked.push(variables), pages.shift() as T),
      baseline: () => undefined,
    })!;
    catchUp.lost(null);
    const missed = await catchUp.missed();
    expect({
      asked,
      missed: missed === 'unavailable' ? missed : missed.events.map((event) => (event as { changeId: string }).changeId),
    }).toEqual({
      asked: [
        { since: '2026-12-02T09:59:59.000Z', certificateId: null },
        { after: 'e100', certificateId: null },
      ],
      missed: Array.from({ length: 102 }, (_, i) => `e${i + 1}`),
    });
  });
});

describe('live event listeners', () => {
  it('stops a listener once: stopped again, it leaves the listeners that came after it on its route', () => {
    const events = new LiveEvents({} as never, 'test:', LIVE_CHANNELS, logger);
    const stopFirst = events.listen(certificationStatusChannel, 't1', 'staff', () => undefined);
    stopFirst();
    events.listen(certificationStatusChannel, 't1', 'staff', () => undefined);
    stopFirst();
    expect(events.activeListeners).toBe(1);
  });
});
