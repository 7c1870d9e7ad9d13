import WebSocket from 'ws';
import {
  createTenant,
  sampleValue,
  scrape,
  startSupergraph,
  subscribe,
  TEST_PASSWORD,
  until,
  type RunningSupergraph,
  type TestTenant,
} from '@academy/testing';

const SUBSCRIPTION = 'subscription { certificationStatusChanged { status } }';

/** A raw graphql-transport-ws socket: to vanish without saying goodbye, and to read frames as sent. */
function rawSocket(origin: string, headers: Record<string, string> = {}) {
  const socket = new WebSocket(`${origin.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', { headers });
  const frames: Record<string, unknown>[] = [];
  socket.on('message', (data) => frames.push(JSON.parse(String(data)) as Record<string, unknown>));
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  const until = async (type: string) => {
    for (let waited = 0; waited < 5000; waited += 20) {
      const frame = frames.find((candidate) => candidate.type === type);
      if (frame) return frame;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no ${type} frame: ${JSON.stringify(frames)}`);
  };
  return { socket, frames, opened, closed, until, send: (message: unknown) => socket.send(JSON.stringify(message)) };
}

describe('graphql-ws connections at the gateway', () => {
  let supergraph: RunningSupergraph;
  let fixture: TestTenant;
  let token: string;

  beforeAll(async () => {
    supergraph = await startSupergraph();
    fixture = await createTenant(supergraph.db.database);
    token = await supergraph.login(fixture.users.LEARNER.email, TEST_PASSWORD, fixture.tenant.slug);
  });
  afterAll(() => supergraph?.close());

  it.each([
    [
      'without a token',
      () => ({ tenant: fixture.tenant.slug }),
      4401,
      'UNAUTHENTICATED: Subscriptions need a token: connection parameter authorization "Bearer <token>"',
    ],
    ['with a bad token', () => ({ tenant: fixture.tenant.slug, token: 'not-a-token' }), 4401, 'UNAUTHENTICATED: Malformed token'],
    ['for an unknown tenant', () => ({ tenant: 'no-such-academy', token }), 4404, 'TENANT_NOT_FOUND: Unknown tenant'],
    ['with a token of another tenant', () => ({ tenant: 'demo', token }), 4403, 'TENANT_MISMATCH: The token belongs to another tenant'],
  ])('closes a connection %s with a clear code', async (_what, options, code, reason) => {
    const live = subscribe(supergraph.origin, { query: SUBSCRIPTION, ...options() });
    expect(await live.closed).toEqual({ code, reason });
    await live.dispose();
  });

  it('takes the tenant from a connection parameter when the browser cannot set headers', async () => {
    const live = rawSocket(supergraph.origin);
    await live.opened;
    live.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}`, tenant: fixture.tenant.slug } });
    expect(await live.until('connection_ack')).toEqual({ type: 'connection_ack' });
    live.socket.close();
  });

  it.each([
    ['a query', '{ viewerTenant { slug } }', 'Send queries and mutations over HTTP; this socket carries subscriptions'],
    ['an unknown field', 'subscription { nothingHere }', 'Cannot query field "nothingHere" on type "Subscription".'],
    ['garbage', 'subscription {', 'Syntax Error: Expected Name, found <EOF>.'],
  ])('answers %s with an error, keeping the connection', async (_what, query, message) => {
    const live = rawSocket(supergraph.origin, { 'x-tenant': fixture.tenant.slug });
    await live.opened;
    live.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
    await live.until('connection_ack');
    live.send({ id: '1', type: 'subscribe', payload: { query } });
    const error = await live.until('error');
    expect(error).toMatchObject({ id: '1', type: 'error', payload: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] });
    expect(live.socket.readyState).toBe(WebSocket.OPEN);
    live.socket.close();
  });

  it('leaks nothing when a client vanishes mid-subscription', async () => {
    const before = supergraph.gateway.events.activeListeners;
    const clients = await Promise.all(
      [1, 2, 3].map(async () => {
        const live = rawSocket(supergraph.origin, { 'x-tenant': fixture.tenant.slug });
        await live.opened;
        live.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
        await live.until('connection_ack');
        live.send({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION } });
        return live;
      }),
    );
    expect(
      await until(
        () => supergraph.gateway.events.activeListeners,
        (listeners) => listeners >= before + 3,
        { timeoutMs: 3000 },
      ),
    ).toBe(before + 3);
    const metrics = await scrape(`${supergraph.origin}/metrics`);
    expect([
      sampleValue(metrics, 'academy_gateway_websocket_connections', { service: 'gateway' }),
      sampleValue(metrics, 'academy_gateway_active_subscriptions', { service: 'gateway' }),
    ]).toEqual([3, before + 3]);
    for (const client of clients) client.socket.terminate(); // no close frame: the network just went away
    expect(
      await until(
        () => supergraph.gateway.events.activeListeners,
        (listeners) => listeners <= before,
        { timeoutMs: 3000 },
      ),
    ).toBe(before);
    expect(supergraph.gateway.subscriptions.connections()).toBe(0);
    expect(sampleValue(await scrape(`${supergraph.origin}/metrics`), 'academy_gateway_websocket_connections', { service: 'gateway' })).toBe(
      0,
    );
  });
});
