import pg from 'pg';
import { appUrlFor, isolatedDatabase, until } from '@academy/testing';
import { OutboxRelay, type OutboxRecord } from '../src';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined } as never;

/** The relay on a database of its own: what it publishes, and how soon. */
describe('outbox relay', () => {
  let database: { ownerUrl: string; drop(): Promise<void> };
  let owner: pg.Client;
  let pool: pg.Pool;
  let relay: OutboxRelay | undefined;
  let tenantId: string;
  beforeAll(async () => {
    database = await isolatedDatabase();
    owner = new pg.Client({ connectionString: database.ownerUrl });
    await owner.connect();
    await owner.query('UPDATE outbox_events SET published_at = now() WHERE published_at IS NULL');
    tenantId = (await owner.query<{ id: string }>('SELECT id FROM tenants ORDER BY slug LIMIT 1')).rows[0]!.id;
    pool = new pg.Pool({ connectionString: appUrlFor(database.ownerUrl), max: 2 });
  });
  afterAll(async () => {
    await relay?.stop();
    await pool?.end();
    await owner?.end();
    await database?.drop();
  });

  const write = (key: string) =>
    owner.query("INSERT INTO outbox_events (tenant_id, type, aggregate_type, aggregate_id, payload) VALUES ($1, 'bench.event', 'Test', $2, $3)", [tenantId, key, JSON.stringify({ key })]);

  it('publishes an event written while it was busy publishing another at once, not at its next poll', async () => {
    const routed: { key: string; at: number }[] = [];
    let releaseFirst: () => void = () => undefined;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    relay = new OutboxRelay({
      pool,
      listenUrl: appUrlFor(database.ownerUrl),
      logger: silent,
      // Far beyond the test's patience: only a notification can wake it in time.
      pollMs: 60_000,
      routes: {
        'bench.event': async (event: OutboxRecord) => {
          routed.push({ key: String(event.payload.key), at: performance.now() });
          if (event.payload.key === 'first') await firstHeld;
        },
      },
    });
    await relay.start();
    await write('first');
    await until(() => routed.length, (count) => count > 0);
    // The relay is inside its batch (the first event's route has not returned) when the second is written.
    await write('second');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const released = performance.now();
    releaseFirst();
    await until(() => routed.length, (count) => count >= 2);
    expect(routed.map((entry) => entry.key)).toEqual(['first', 'second']);
    expect(routed[1]!.at - released).toBeLessThan(2_000);
  });
});
