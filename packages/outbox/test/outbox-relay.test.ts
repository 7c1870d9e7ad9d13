import net from 'node:net';
import pg from 'pg';
import { z } from 'zod';
import { defineEvent, impactEventsChanged, type OutboxRecord } from '@academy/events';
import type { Logger } from '@academy/platform';
import { appUrlFor, freePort, isolatedDatabase, until } from '@academy/testing';
import { OutboxRelay } from '../src';

const testEvent = defineEvent('test.event', { aggregateType: 'Test', payload: z.object({ key: z.string() }) });

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined } as unknown as Logger;

/** The relay on a database of its own: what it publishes, and how soon. */
describe('outbox relay', () => {
  let database: { ownerUrl: string; drop(): Promise<void> };
  let owner: pg.Client;
  let pool: pg.Pool;
  const relays: { stop(): Promise<void> }[] = [];
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

  const write = (key: string, type = 'test.event', payload: unknown = { key }) =>
    owner.query('INSERT INTO outbox_events (tenant_id, type, aggregate_type, aggregate_id, payload) VALUES ($1, $2, $3, $4, $5)', [
      tenantId,
      type,
      'Test',
      key,
      JSON.stringify(payload),
    ]);

  /** A relay whose route records each event and holds the one keyed `held` until released. */
  function heldRelay(held: string, listenUrl = appUrlFor(database.ownerUrl), logger = silent) {
    const routed: { key: string; at: number }[] = [];
    let release: () => void = () => undefined;
    const releasing = new Promise<void>((resolve) => (release = resolve));
    const relay = new OutboxRelay({
      pool,
      listenUrl,
      logger,
      // Far beyond the test's patience: only a notification (or stop()) can wake it in time.
      pollMs: 60_000,
      events: [testEvent],
      routes: {
        'test.event': async (event: OutboxRecord<{ key: string }>) => {
          routed.push({ key: event.payload.key, at: performance.now() });
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
    await until(
      () => routed.length,
      (count) => count > 0,
    );
    // The relay is inside its batch (the first event's route has not returned) when the second is written.
    await write('second');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const released = performance.now();
    release();
    await until(
      () => routed.length,
      (count) => count >= 2,
    );
    expect(routed.map((entry) => entry.key)).toEqual(['first', 'second']);
    expect(routed[1]!.at - released).toBeLessThan(2_000);
  });

  it('stops during a batch once the batch is published, without waiting for its next poll', async () => {
    // Nothing listens (a notification arriving during the batch would end the loop by another path):
    // the event written before start() is the first batch's, and only stop() can end the wait after it.
    const { relay, routed, release } = heldRelay('in-flight', 'postgresql://academy@127.0.0.1:1/nothing-listens-here');
    await write('in-flight');
    await relay.start();
    expect(
      await until(
        () => routed.map((entry) => entry.key),
        (keys) => keys.length > 0,
      ),
    ).toEqual(['in-flight']);
    // stop() arrives while the relay is inside its batch, where there is no wait to wake.
    let stopped = false;
    const stopping = relay.stop().then(() => (stopped = true));
    release();
    expect(await until(() => stopped, Boolean, { timeoutMs: 5_000 })).toBe(true);
    await stopping;
    const { rows } = await owner.query<{ published: boolean }>(
      "SELECT published_at IS NOT NULL AS published FROM outbox_events WHERE type = 'test.event' AND payload->>'key' = 'in-flight'",
    );
    expect(rows).toEqual([{ published: true }]);
  });

  it('listens again once the database answers again, though it could not reach it when it tried: a notification wakes it, not its next poll', async () => {
    // The listener's way to the database goes through a port where nothing answers at first (a database restarting).
    const port = await freePort();
    const target = new URL(database.ownerUrl);
    const sockets = new Set<net.Socket>();
    const proxy = net.createServer((client) => {
      const server = net.connect(Number(target.port || 5432), target.hostname);
      for (const socket of [client, server]) {
        sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => sockets.delete(socket));
      }
      client.pipe(server).pipe(client);
    });
    const listenUrl = new URL(appUrlFor(database.ownerUrl));
    listenUrl.port = String(port);
    const { relay, routed } = heldRelay('none', listenUrl.toString());
    await relay.start();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));
    try {
      const listening = await until(
        async () =>
          (
            await owner.query<{ n: number }>(
              "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN outbox_events'",
            )
          ).rows[0]!.n,
        (count) => count > 0,
        { timeoutMs: 10_000, everyMs: 100 },
      );
      expect(listening).toBe(1);
      const written = performance.now();
      await write('after-the-outage');
      expect(
        await until(
          () => routed.map((entry) => entry.key),
          (keys) => keys.length > 0,
        ),
      ).toEqual(['after-the-outage']);
      expect(routed[0]!.at - written).toBeLessThan(2_000);
    } finally {
      await relay.stop();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('survives the database ending its session in the middle of a batch, and publishes the batch again', async () => {
    const { relay, routed, release } = heldRelay('interrupted');
    await relay.start();
    await write('interrupted');
    await until(
      () => routed.length,
      (count) => count > 0,
    );
    // While the route runs, the batch's transaction waits: the server ends that session (as a restart does).
    const { rows: ended } = await owner.query<{ ended: boolean }>(
      "SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'",
    );
    expect(ended).toEqual([{ ended: true }]);
    release();
    // The batch could not be marked published: it goes again, on another connection.
    expect(
      await until(
        () => routed.map((entry) => entry.key),
        (keys) => keys.length >= 2,
        { timeoutMs: 10_000 },
      ),
    ).toEqual(['interrupted', 'interrupted']);
    const published = await until(
      async () =>
        (
          await owner.query<{ published: boolean }>(
            "SELECT published_at IS NOT NULL AS published FROM outbox_events WHERE type = 'test.event' AND payload->>'key' = 'interrupted'",
          )
        ).rows,
      (rows) => rows[0]?.published === true,
    );
    expect(published).toEqual([{ published: true }]);
  });

  it('will not be built when a defined event has no route, or a route names no defined event', () => {
    const otherEvent = defineEvent('test.other', { aggregateType: 'Test', payload: z.object({}) });
    const build = (routes: Record<string, unknown>) => () =>
      new OutboxRelay({
        pool,
        listenUrl: appUrlFor(database.ownerUrl),
        logger: silent,
        events: [testEvent, otherEvent],
        routes: routes as never,
      });
    expect(build({ 'test.event': async () => undefined })).toThrow(
      new Error('The outbox routes do not match the domain events: no route for the event test.other'),
    );
    expect(build({ 'test.event': async () => undefined, 'test.other': async () => undefined, 'test.gone': async () => undefined })).toThrow(
      new Error('The outbox routes do not match the domain events: a route for test.gone, which is no defined event'),
    );
  });

  it('logs and skips an event of no defined type or of another shape, and goes on with the rest', async () => {
    const errors: { facts: Record<string, unknown>; message: string }[] = [];
    const logger = {
      ...silent,
      error: (facts: Record<string, unknown>, message: string) => errors.push({ facts, message }),
    } as unknown as Logger;
    const { relay, routed } = heldRelay('none', undefined, logger);
    const ids = [];
    for (const [key, type, payload] of [
      ['unknown-type', 'test.unheard-of', {}],
      ['misshapen', 'test.event', { key: 42 }],
      ['readable', 'test.event', { key: 'readable' }],
    ] as const) {
      await write(key, type, payload);
      ids.push((await owner.query<{ id: string }>('SELECT max(id) AS id FROM outbox_events')).rows[0]!.id);
    }
    await relay.start();
    expect(
      await until(
        () => routed.map((entry) => entry.key),
        (keys) => keys.length > 0,
      ),
    ).toEqual(['readable']);
    await relay.stop();
    expect(errors).toEqual([
      { facts: { outboxId: ids[0], type: 'test.unheard-of', tenantId }, message: 'outbox event of no defined type: skipped' },
      {
        facts: { outboxId: ids[1], type: 'test.event', tenantId, err: expect.stringContaining('expected string, received number') },
        message: 'outbox event whose payload its definition cannot read: skipped',
      },
    ]);
    const { rows } = await owner.query<{ published: boolean }>(
      'SELECT published_at IS NOT NULL AS published FROM outbox_events WHERE id = ANY($1::bigint[]) ORDER BY id',
      [ids],
    );
    expect(rows).toEqual([{ published: true }, { published: true }, { published: true }]);
  });

  it('reads the events the database writes itself: impact.events.changed from the impact events trigger', async () => {
    const routed: OutboxRecord<{ deltas: number }>[] = [];
    const relay = new OutboxRelay({
      pool,
      listenUrl: appUrlFor(database.ownerUrl),
      logger: silent,
      events: [impactEventsChanged],
      routes: { 'impact.events.changed': async (event: OutboxRecord<{ deltas: number }>) => routed.push(event) },
    });
    relays.push(relay);
    await relay.start();
    const userId = (await owner.query<{ id: string }>('SELECT id FROM users WHERE tenant_id = $1 LIMIT 1', [tenantId])).rows[0]!.id;
    await owner.query(
      `INSERT INTO impact_events (id, tenant_id, user_id, type, description, occurred_at, sustainability_millipoints, community_millipoints, regenerative_millipoints, social_justice_millipoints, circularity_millipoints)
       VALUES (gen_random_uuid(), $1, $2, $3, 'trigger check', now(), 1, 1, 1, 1, 1), (gen_random_uuid(), $1, $2, $3, 'trigger check', now(), 1, 1, 1, 1, 1)`,
      [tenantId, userId, 'SKILL_SHARING'],
    );
    const seen = await until(
      () => routed,
      (events) => events.length > 0,
    );
    expect(seen.map(({ type, aggregateType, aggregateId, payload }) => ({ type, aggregateType, aggregateId, payload }))).toEqual([
      { type: 'impact.events.changed', aggregateType: 'Tenant', aggregateId: tenantId, payload: { deltas: 2 } },
    ]);
  });
});
