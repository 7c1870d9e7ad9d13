import { createLogger } from '@academy/platform';
import { watchGaps, type CatchUp, type CatchUpStream } from '../src/subscriptions/catch-up';
import type { LiveEvents, LiveGap } from '../src/subscriptions/live-events';

const logger = createLogger({ service: 'test', level: 'silent' });
const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

/** watchGaps on a connection the test drops and brings back, with a stream that records what it is asked. */
function watched(catchUp: CatchUp) {
  let gap: LiveGap | undefined;
  const events = { onGap: (watcher: LiveGap) => ((gap = watcher), () => undefined) } as unknown as LiveEvents;
  const calls: string[] = [];
  const stream: CatchUpStream = {
    done: () => false,
    newest: () => 'e1',
    hold: () => void calls.push('hold'),
    releaseHeld: () => void calls.push('release'),
    enqueue: (event) => void calls.push(`enqueue ${String(event)}`),
    logger,
  };
  const stop = watchGaps(events, catchUp, stream, { spreadMs: 0, retryMs: [10] });
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
});
