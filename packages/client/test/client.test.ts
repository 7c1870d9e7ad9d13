import { notificationReceivedChannel } from '@academy/events';
import { createTenant, startSupergraph, TEST_AUDIENCE, TEST_ISSUER, TEST_PASSWORD, testEnvironment, until } from '@academy/testing';
import type { RunningSupergraph, TestTenant } from '@academy/testing';
import { loadSigningKey } from '@academy/tokens';
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import {
  createAcademyClient,
  describeError,
  LoginDocument,
  memorySessionStore,
  NotificationReceivedDocument,
  UsersDocument,
  ViewerDocument,
  type AcademyClient,
  type NotificationReceivedSubscription,
} from '../src/index.js';

/**
 * The SDK against a real supergraph in production mode (only persisted documents run): signing
 * in, persisted ids on the wire, a transparent refresh, a live subscription and the errors.
 */
describe('@academy/client against the gateway', () => {
  let supergraph: RunningSupergraph;
  let fixture: TestTenant;
  let client: AcademyClient;
  /** Every request body the SDK sent over HTTP. */
  const sent: Record<string, unknown>[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    sent.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
    return fetch(input, init);
  };

  beforeAll(async () => {
    supergraph = await startSupergraph({ production: true });
    fixture = await createTenant(supergraph.db.database);
    client = createAcademyClient({
      url: `${supergraph.origin}/graphql`,
      tenant: fixture.tenant.slug,
      session: memorySessionStore(),
      fetch: recordingFetch,
      webSocketImpl: WebSocket,
    });
  }, 60_000);
  afterAll(async () => {
    client?.dispose();
    await supergraph?.close();
  });
  beforeEach(() => {
    sent.length = 0;
  });

  const learner = () => fixture.users.LEARNER;
  const viewer = () => ({
    viewerTenant: { id: fixture.tenant.id, slug: fixture.tenant.slug, name: fixture.tenant.name, tier: 'PROFESSIONAL' },
    me: { id: learner().id, name: learner().name, email: learner().email, persona: 'LEARNER', communities: [] },
  });

  it('signs in and runs a query by its persisted id alone', async () => {
    const session = await client.signIn(learner().email, TEST_PASSWORD);
    expect(session.user).toEqual({ id: learner().id, name: learner().name, email: learner().email, persona: 'LEARNER' });
    expect(client.session.get()).toBe(session);

    const result = await client.urql.query(ViewerDocument, {}, { requestPolicy: 'network-only' }).toPromise();
    expect({ data: result.data, error: result.error }).toEqual({ data: viewer(), error: undefined });
    // No document text on the wire: the sha256 id codegen embedded (the gateway refuses any other in production).
    expect(sent.map(({ query, extensions, operationName }) => ({ query, extensions, operationName }))).toEqual([
      {
        query: undefined,
        operationName: 'Login',
        extensions: { persistedQuery: { version: 1, sha256Hash: hashOf(LoginDocument) } },
      },
      {
        query: undefined,
        operationName: 'Viewer',
        extensions: { persistedQuery: { version: 1, sha256Hash: hashOf(ViewerDocument) } },
      },
    ]);
  });

  it('refreshes a refused access token once, through refreshToken, and answers the query', async () => {
    const before = client.session.get()!;
    // The access token expired on the server's clock (the refresh token is still good).
    const key = await loadSigningKey(testEnvironment().TEST_AUTH_SIGNING_KEY);
    const expired = await new SignJWT({ tid: fixture.tenant.id, persona: 'LEARNER' })
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid })
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setSubject(learner().id)
      .setIssuedAt()
      .setExpirationTime('-1m')
      .sign(key.privateKey);
    client.session.set({ ...before, token: expired });

    const result = await client.urql.query(ViewerDocument, {}, { requestPolicy: 'network-only' }).toPromise();
    expect({ data: result.data, error: result.error }).toEqual({ data: viewer(), error: undefined });
    expect(sent.map((body) => body.operationName ?? body.documentId)).toEqual(['Viewer', 'RefreshSession', 'Viewer']);
    const after = client.session.get()!;
    expect(after.token).not.toBe(expired);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.user).toEqual(before.user);
  });

  it('signs out when the refresh token is refused, and the query says UNAUTHENTICATED', async () => {
    const other = createAcademyClient({ url: `${supergraph.origin}/graphql`, tenant: fixture.tenant.slug, fetch: recordingFetch });
    try {
      const session = await other.signIn(learner().email, TEST_PASSWORD);
      other.session.set({ ...session, token: 'not-a-token', refreshToken: 'rt_unknown' });
      sent.length = 0;
      const result = await other.urql.query(ViewerDocument, {}, { requestPolicy: 'network-only' }).toPromise();
      expect(sent.map((body) => body.operationName)).toEqual(['Viewer', 'RefreshSession', 'Viewer']);
      expect(other.session.get()).toBeNull();
      expect(describeError(result.error, 'en')).toEqual({
        code: 'UNAUTHENTICATED',
        message: 'Your session has ended or is not valid. Sign in again.',
        detail: expect.any(String),
      });
    } finally {
      other.dispose();
    }
  });

  it('subscribes over graphql-ws, by persisted id, and receives the learner’s notification', async () => {
    const events: NotificationReceivedSubscription[] = [];
    const subscription = client.urql.subscription(NotificationReceivedDocument, {}).subscribe((result) => {
      if (result.data) events.push(result.data);
    });
    try {
      // The socket is lazy: publish until the subscriber hears one (it may not be listening yet).
      const notification = await supergraph.db.database.forTenant(fixture.tenant.id).run((tx) =>
        tx.notification.create({
          data: {
            tenantId: fixture.tenant.id,
            userId: learner().id,
            kind: 'ENROLLED',
            title: 'Te inscribiste en «Huertos»',
            body: 'Ya puedes empezar «Huertos». ¡Mucho éxito!',
            link: '/courses/x',
            sourceKey: `test:sdk:${fixture.tenant.slug}`,
          },
        }),
      );
      await until(
        async () => {
          await notificationReceivedChannel.publish(supergraph.redis, supergraph.redisPrefix, fixture.tenant.id, {
            tenantId: fixture.tenant.id,
            notificationId: notification.id,
            userId: learner().id,
          });
          return events.length;
        },
        (count) => count > 0,
        { timeoutMs: 15_000, everyMs: 200 },
      );
      expect(events[0]).toEqual({
        notificationReceived: {
          id: notification.id,
          kind: 'ENROLLED',
          title: 'Te inscribiste en «Huertos»',
          body: 'Ya puedes empezar «Huertos». ¡Mucho éxito!',
          link: '/courses/x',
          readAt: null,
          createdAt: notification.createdAt.toISOString(),
        },
      });
    } finally {
      subscription.unsubscribe();
    }
  }, 30_000);

  it('describes a FORBIDDEN answer in Spanish (and English)', async () => {
    const result = await client.urql.query(UsersDocument, {}, { requestPolicy: 'network-only' }).toPromise();
    expect(result.data).toBeNull();
    expect(describeError(result.error)).toEqual({
      code: 'FORBIDDEN',
      message: 'No tienes permiso para hacer esto.',
      detail: expect.any(String),
    });
    expect(describeError(result.error, 'en').message).toBe('You do not have permission to do this.');
    // Refused, not a session problem: no refresh, still signed in.
    expect(sent.map((body) => body.operationName)).toEqual(['Users']);
    expect(client.session.get()?.user.id).toBe(learner().id);
  });
});

/** The hex of a generated document's persisted id (`__meta__.hash`, "sha256:<hex>"). */
function hashOf(document: unknown): string {
  return (document as { __meta__: { hash: string } }).__meta__.hash.replace(/^sha256:/, '');
}
