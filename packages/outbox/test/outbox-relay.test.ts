import pg from 'pg';
import { appUrlFor, isolatedDatabase, until } from '@academy/testing';
import { OutboxRelay, type OutboxRecord } from '../src';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined } as never;

/** The relay on a database of its own: what it publishes, and how soon. */
describe('outbox relay', () => {
  let database: { ownerUrl: string; drop(): Promise<void> };
  let owner: pg.Client;
  let pool: pg.Pool;
  const relays: OutboxRelay[] = [];
  let tenantId: string;
  beforeAll(async () => {
    database = await isolatedDatabase();
    owner = new pg.Client({ connectionString: database.ownerUrl });
    await owner.connect();
    await owner.query('UPDATE outbox_events SET published_at = now() WHERE published_at IS NULL');
    tenantId = (await owner.query<{ id: string }>('SELECT id FROM tenants ORDER BY slug LIMIT 1')).rows[0]!.id;
    pool = new pg.Pool({ connectionString: appUrlFor(database.ownerUrl), max: 2 });
  });
  // One relay at a time: another would claim the events a test writes.
  afterEach(async () => {
    for (const relay of relays.splice(0)) await relay.stop();
  });
  afterAll(async () => {
    await pool?.end();
    await owner?.end();
    await database?.drop();
  });

  const write = (key: string) =>
    owner.query("INSERT INTO outbox_events (tenant_id, type, aggregate_type, aggregate_id, payload) VALUES ($1, 'bench.event', 'Test', $2, $3)", [tenantId, key, JSON.stringify({ key })]);

  /** A relay whose route records each event and holds the one keyed `held` until released. */
  function heldRelay(held: string, listenUrl = appUrlFor(database.ownerUrl)) {
    const routed: { key: string; at: number }[] = [];
    let release: () => void = () => undefined;
    const releasing = new Promise<void>((resolve) => (release = resolve));
    const relay = new OutboxRelay({
      pool,
      listenUrl,
      logger: silent,
      // Far beyond the test's patience: only a notification (or stop()) can wake it in time.
      pollMs: 60_000,
      routes: {
        'bench.event': async (event: OutboxRecord) => {
          routed.push({ key: String(event.payload.key), at: performance.now() });
          if (event.payload.key === held) await releasing;
        },
      },
    });
    relays.push(relay);
    return { relay, routed, release };
  }

  it('publishes an event written while it was busy publishing another at once, not at its next poll', async () => {
    const { relay, routed, release } = heldRelay('first');
    await relay.start();
    await write('first');
    await until(() => routed.length, (count) => count > 0);
    // The relay is inside its batch (the first event's route has not returned) when the second is written.
    await write('second');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const released = performance.now();
    release();
    await until(() => routed.length, (count) => count >= 2);
    expect(routed.map((entry) => entry.key)).toEqual(['first', 'second']);
    expect(routed[1]!.at - released).toBeLessThan(2_000);
  });

  it('stops during a batch once the batch is published, without waiting for its next poll', async () => {
    // Nothing listens (a notification arriving during the batch would end the loop by another path):
    // the event written before start() is the first batch's, and only stop() can end the wait after it.
    const { relay, routed, release } = heldRelay('in-flight', 'postgresql://academy@127.0.0.1:1/nothing-listens-here');
    await write('in-flight');
    await relay.start();
    expect(await until(() => routed.map((entry) => entry.key), (keys) => keys.length > 0)).toEqual(['in-flight']);
    // stop() arrives while the relay is inside its batch, where there is no wait to wake.
    let stopped = false;
    const stopping = relay.stop().then(() => (stopped = true));
    release();
    expect(await until(() => stopped, Boolean, { timeoutMs: 5_000 })).toBe(true);
    await stopping;
    const { rows } = await owner.query<{ published: boolean }>(
      "SELECT published_at IS NOT NULL AS published FROM outbox_events WHERE type = 'bench.event' AND payload->>'key' = 'in-flight'",
    );
    expect(rows).toEqual([{ published: true }]);
  });
});
