import net from 'node:net';
import { certificationStatusChannel, notificationReceivedChannel } from '@academy/events';
import {
  createCompliantCourse,
  createTenant,
  startSupergraph,
  TEST_AUDIENCE,
  TEST_ISSUER,
  TEST_PASSWORD,
  testEnvironment,
  until,
} from '@academy/testing';
import type { RunningSupergraph, TestTenant } from '@academy/testing';
import { loadSigningKey } from '@academy/tokens';
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import {
  CertificationStatusDocument,
  createAcademyClient,
  describeError,
  LoginDocument,
  memorySessionStore,
  NotificationReceivedDocument,
  UsersDocument,
  ViewerDocument,
  type AcademyClient,
  type CertificationStatusSubscription,
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

  it('misses nothing across a dropped socket: it subscribes again with afterEventId, and the change made meanwhile comes first', async () => {
    const tenantId = fixture.tenant.id;
    const db = supergraph.db.database.forTenant(tenantId);
    const course = await createCompliantCourse(supergraph.db.database, fixture, { title: 'Huertos comunitarios' });
    const { certificate, submission } = await db.run(async (tx) => {
      const enrollment = await tx.enrollment.create({
        data: { tenantId, courseId: course.id, learnerId: learner().id, status: 'COMPLETED', finalScore: 92, completedAt: new Date() },
      });
      const certificate = await tx.certificate.create({
        data: {
          tenantId,
          learnerId: learner().id,
          courseId: course.id,
          enrollmentId: enrollment.id,
          verificationCode: `SDK-${fixture.tenant.slug}`.slice(0, 40),
          credential: {},
        },
      });
      const submission = await tx.conocerSubmission.create({
        data: {
          tenantId,
          certificateId: certificate.id,
          standardCode: course.competencyStandardCode!,
          status: 'PENDING',
          requestedById: learner().id,
        },
      });
      return { certificate, submission };
    });
    // A status change as the workers make it: the row and its history, then the event on Redis.
    const change = async (previousStatus: 'PENDING' | 'SUBMITTED' | 'IN_REVIEW', status: 'SUBMITTED' | 'IN_REVIEW' | 'APPROVED') => {
      const made = await db.run(async (tx) => {
        await tx.conocerSubmission.update({ where: { id: submission.id }, data: { status } });
        return tx.conocerStatusChange.create({
          data: { tenantId, submissionId: submission.id, status, previousStatus, reason: `a ${status}` },
        });
      });
      await certificationStatusChannel.publish(supergraph.redis, supergraph.redisPrefix, tenantId, {
        tenantId,
        changeId: made.id,
        submissionId: submission.id,
        certificateId: certificate.id,
        learnerId: learner().id,
        status,
        previousStatus,
      });
      return made;
    };
    const listening = () => supergraph.gateway.events.activeListeners;
    const idle = listening();

    // The socket goes through a proxy the test can cut: the network between the app and the gateway.
    const proxy = await cuttableProxy(new URL(supergraph.origin).port);
    const mobile = createAcademyClient({
      url: `${supergraph.origin}/graphql`,
      wsUrl: `ws://127.0.0.1:${proxy.port}/graphql`,
      tenant: fixture.tenant.slug,
      session: memorySessionStore(),
      webSocketImpl: WebSocket,
    });
    const events: CertificationStatusSubscription['certificationStatusChanged'][] = [];
    try {
      await mobile.signIn(learner().email, TEST_PASSWORD);
      const subscription = mobile.urql.subscription(CertificationStatusDocument, { certificateId: certificate.id }).subscribe((result) => {
        if (result.data) events.push(result.data.certificationStatusChanged);
      });
      try {
        await until(listening, (count) => count === idle + 1, { timeoutMs: 15_000 });
        const submitted = await change('PENDING', 'SUBMITTED');
        await until(
          () => events.length,
          (count) => count === 1,
          { timeoutMs: 15_000 },
        );

        // The network drops; while the app is away, the submission goes into review.
        proxy.cut();
        await until(listening, (count) => count === idle, { timeoutMs: 15_000 });
        const inReview = await change('SUBMITTED', 'IN_REVIEW');
        proxy.restore();

        // graphql-ws reconnects on its own and subscribes again, now after the last event it saw.
        await until(
          () => events.length,
          (count) => count === 2,
          { timeoutMs: 20_000 },
        );
        await until(listening, (count) => count === idle + 1, { timeoutMs: 15_000 });
        const approved = await change('IN_REVIEW', 'APPROVED');
        await until(
          () => events.length,
          (count) => count === 3,
          { timeoutMs: 15_000 },
        );

        const expected = (made: { id: string; occurredAt: Date }, previousStatus: string, status: string) => ({
          id: made.id,
          status,
          previousStatus,
          reason: `a ${status}`,
          occurredAt: made.occurredAt.toISOString(),
          certificate: {
            id: certificate.id,
            verificationCode: certificate.verificationCode,
            course: { title: 'Huertos comunitarios' },
            learner: { name: learner().name },
          },
          // The submission as it is when the event is resolved (approved by then for the replayed one too, unless delivered first).
          submission: { id: submission.id, folio: null, status: expect.stringMatching(/^(SUBMITTED|IN_REVIEW|APPROVED)$/) },
        });
        expect(events).toEqual([
          expected(submitted, 'PENDING', 'SUBMITTED'),
          expected(inReview, 'SUBMITTED', 'IN_REVIEW'),
          expected(approved, 'IN_REVIEW', 'APPROVED'),
        ]);
        expect(proxy.connections).toBe(2);
      } finally {
        subscription.unsubscribe();
      }
    } finally {
      mobile.dispose();
      await proxy.close();
    }
  }, 90_000);

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

/**
 * A TCP proxy to the gateway that the test can cut (every connection dropped, new ones refused
 * until `restore`): a phone losing its network.
 */
async function cuttableProxy(targetPort: string) {
  const sockets = new Set<net.Socket>();
  let cut = false;
  let connections = 0;
  const server = net.createServer((client) => {
    if (cut) return client.destroy();
    connections += 1;
    const upstream = net.connect(Number(targetPort), '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    get connections() {
      return connections;
    },
    cut() {
      cut = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      cut = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The hex of a generated document's persisted id (`__meta__.hash`, "sha256:<hex>"). */
function hashOf(document: unknown): string {
  return (document as { __meta__: { hash: string } }).__meta__.hash.replace(/^sha256:/, '');
}
