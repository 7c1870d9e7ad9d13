import pg from 'pg';
import { enrollmentCreated, notificationReceivedChannel, passwordResetRequested, userInvited } from '@academy/events';
import {
  createCompliantCourse,
  createTenant,
  startSupergraph,
  startTestMailbox,
  subscribe,
  TEST_PASSWORD,
  until,
  type RunningSupergraph,
  type TestMailbox,
  type TestTenant,
} from '@academy/testing';

const RECEIVED = `subscription Received { notificationReceived { kind title body link readAt } }`;

interface Received {
  notificationReceived: { kind: string; title: string; body: string; link: string | null; readAt: string | null };
}

describe('notifications: live, in the inbox, and by email (through the gateway)', () => {
  let supergraph: RunningSupergraph;
  let mailbox: TestMailbox;
  let fixture: TestTenant;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    mailbox = await startTestMailbox();
    supergraph = await startSupergraph({ isolated: true, mail: { smtpUrl: mailbox.smtpUrl, backoffMs: 100, breakerResetMs: 300 } });
    fixture = await createTenant(supergraph.db.database);
    tokens.learner = await supergraph.login(fixture.users.LEARNER.email, TEST_PASSWORD, fixture.tenant.slug);
    tokens.instructor = await supergraph.login(fixture.users.INSTRUCTOR.email, TEST_PASSWORD, fixture.tenant.slug);
  }, 60_000);
  afterAll(async () => {
    await supergraph?.close();
    await mailbox?.stop();
  });

  const graphql = async <T = Record<string, unknown>>(query: string, token: string, variables: Record<string, unknown> = {}) => {
    const response = await supergraph.request<T>(query, { tenant: fixture.tenant.slug, token, variables });
    if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
    return response.body.data!;
  };

  /** Enrolls, completes every lesson and is graded passing by the course's instructor: the certificate is issued. */
  async function earnCertificate(token: string): Promise<{ certificateId: string; title: string }> {
    const course = await createCompliantCourse(supergraph.db.database, fixture);
    const { enroll } = await graphql<{ enroll: { id: string } }>('mutation($id: ID!) { enroll(courseId: $id) { id } }', token, {
      id: course.id,
    });
    for (const lesson of course.lessons)
      await graphql('mutation($e: ID!, $l: ID!) { completeLesson(enrollmentId: $e, lessonId: $l) { id } }', token, {
        e: enroll.id,
        l: lesson.id,
      });
    await graphql('mutation($e: ID!) { submitFinalAssessment(enrollmentId: $e, score: 95) { status } }', tokens.instructor!, {
      e: enroll.id,
    });
    const { me } = await graphql<{ me: { certificates: { id: string; course: { id: string; title: string } }[] } }>(
      '{ me { certificates { id course { id title } } } }',
      token,
    );
    const certificate = me.certificates.find((one) => one.course.id === course.id)!;
    return { certificateId: certificate.id, title: certificate.course.title };
  }

  it('a certificate issued: one notification, live to its learner only, and one Spanish email with their name and the course', async () => {
    const mine = subscribe<Received>(supergraph.origin, { query: RECEIVED, token: tokens.learner!, tenant: fixture.tenant.slug });
    const instructor = subscribe<Received>(supergraph.origin, { query: RECEIVED, token: tokens.instructor!, tenant: fixture.tenant.slug });
    await Promise.all([mine.connected, instructor.connected]);
    try {
      const { certificateId, title } = await earnCertificate(tokens.learner!);
      await mine.waitFor(2, 20_000);
      expect(mine.events).toEqual([
        {
          data: {
            notificationReceived: {
              kind: 'ENROLLED',
              title: `Te inscribiste en «${title}»`,
              body: `Ya puedes empezar «${title}». ¡Mucho éxito!`,
              link: expect.stringMatching(/^\/courses\/[0-9a-f-]{36}$/),
              readAt: null,
            },
          },
        },
        {
          data: {
            notificationReceived: {
              kind: 'CERTIFICATE_ISSUED',
              title: 'Tu certificado está listo',
              body: expect.stringMatching(new RegExp(`^Completaste «${title}»\\. Código de verificación: [A-Z0-9-]+\\.$`)),
              link: `/certificates/${certificateId}`,
              readAt: null,
            },
          },
        },
      ]);
      const emails = await until(
        () => mailbox.emailsTo(fixture.users.LEARNER.email),
        (found) => found.some((email) => email.subject === 'Tu certificado está listo'),
        { timeoutMs: 20_000, everyMs: 100 },
      );
      const certificateEmails = emails.filter((email) => email.subject === 'Tu certificado está listo');
      expect(certificateEmails).toHaveLength(1);
      const [email] = certificateEmails;
      expect(email!.from).toEqual([{ address: 'no-reply@academy.test', name: fixture.tenant.name }]);
      expect(email!.text).toContain(`Hola, ${fixture.users.LEARNER.name}`);
      expect(email!.text).toContain(`Completaste «${title}»`);
      expect(email!.html).toContain('lang="es-MX"');
      expect(email!.html).toContain(`https://${fixture.tenant.slug}.academy.test/certificates/${certificateId}`);
      // The inbox, through the gateway: newest first, both unread.
      const { me } = await graphql<{
        me: { notifications: { unreadCount: number; totalCount: number; edges: { node: { kind: string } }[] } };
      }>('{ me { notifications(first: 10) { unreadCount totalCount edges { node { kind } } } } }', tokens.learner!);
      expect(me.notifications).toEqual({
        unreadCount: 2,
        totalCount: 2,
        edges: [{ node: { kind: 'CERTIFICATE_ISSUED' } }, { node: { kind: 'ENROLLED' } }],
      });
      expect(instructor.events).toEqual([]);
    } finally {
      await mine.dispose();
      await instructor.dispose();
    }
  }, 90_000);

  it('the relay does not wait for an event’s notifications: with the inbox blocked the event goes out, its notification follows once, when it is free', async () => {
    const course = await createCompliantCourse(supergraph.db.database, fixture);
    const mine = subscribe<Received>(supergraph.origin, { query: RECEIVED, token: tokens.learner!, tenant: fixture.tenant.slug });
    await mine.connected;
    const emailsBefore = (await mailbox.emailsTo(fixture.users.LEARNER.email)).length;
    // Nothing can be added to the notifications while this transaction holds the table.
    const blocker = new pg.Client({ connectionString: supergraph.db.ownerUrl });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(`SELECT set_config('app.bypass_rls', 'on', true)`);
      await blocker.query('LOCK TABLE notifications IN SHARE MODE');
      const { enroll } = await graphql<{ enroll: { id: string } }>('mutation($id: ID!) { enroll(courseId: $id) { id } }', tokens.learner!, {
        id: course.id,
      });
      // The relay routes the enrollment's event (and whatever is behind it) and marks it published.
      const outbox = await until(
        async () =>
          (
            await blocker.query<{ id: string; published: boolean }>(
              `SELECT id::text, published_at IS NOT NULL AS published FROM outbox_events WHERE type = 'enrollment.created' AND aggregate_id = $1`,
              [enroll.id],
            )
          ).rows[0],
        (row) => row?.published === true,
        { timeoutMs: 10_000, everyMs: 50 },
      );
      expect(outbox?.published).toBe(true);
      // Its notification is not there yet (the inbox waits for the table), and nothing was told live.
      const notified = await blocker.query('SELECT count(*)::int AS n FROM notifications WHERE source_key = $1', [
        `enrollment.created:${outbox!.id}`,
      ]);
      expect(notified.rows).toEqual([{ n: 0 }]);
      expect(mine.events).toEqual([]);
      await blocker.query('COMMIT');
      await mine.waitFor(1, 20_000);
      // Once: nothing more comes, and there is one notification of the event.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(mine.events).toEqual([
        {
          data: {
            notificationReceived: {
              kind: 'ENROLLED',
              title: `Te inscribiste en «${course.title}»`,
              body: `Ya puedes empezar «${course.title}». ¡Mucho éxito!`,
              link: `/courses/${course.id}`,
              readAt: null,
            },
          },
        },
      ]);
      const after = await supergraph.db.database
        .forTenant(fixture.tenant.id)
        .run((tx) => tx.notification.count({ where: { sourceKey: `enrollment.created:${outbox!.id}` } }));
      expect(after).toBe(1);
      // And its email, once (waited for here: the next test counts the learner's emails).
      const emails = await until(
        () => mailbox.emailsTo(fixture.users.LEARNER.email),
        (found) => found.length > emailsBefore,
        { timeoutMs: 20_000, everyMs: 100 },
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await mailbox.emailsTo(fixture.users.LEARNER.email)).slice(emailsBefore).map((email) => email.subject)).toEqual([
        `Te inscribiste en «${course.title}»`,
      ]);
      expect(emails.length).toBe(emailsBefore + 1);
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      await blocker.end();
      await mine.dispose();
    }
  }, 60_000);

  it('with email off for a kind: the notification, no email', async () => {
    await graphql('mutation { updateNotificationPreferences(input: { emailKinds: [ENROLLED] }) { email emailKinds } }', tokens.learner!);
    const before = (await mailbox.emailsTo(fixture.users.LEARNER.email)).length;
    const { certificateId } = await earnCertificate(tokens.learner!);
    const notified = await until(
      () =>
        supergraph.db.database
          .forTenant(fixture.tenant.id)
          .run((tx) => tx.notification.findMany({ where: { link: `/certificates/${certificateId}` }, include: { email: true } })),
      (found) => found.length === 1,
      { timeoutMs: 20_000, everyMs: 100 },
    );
    expect(notified.map((one) => ({ kind: one.kind, email: one.email }))).toEqual([{ kind: 'CERTIFICATE_ISSUED', email: null }]);
    // The enrollment's email (still wanted) arrives; no certificate email with it.
    const emails = await until(
      () => mailbox.emailsTo(fixture.users.LEARNER.email),
      (found) => found.length === before + 1,
      { timeoutMs: 20_000, everyMs: 100 },
    );
    expect(emails.slice(before).map((email) => email.subject)).toEqual([expect.stringMatching(/^Te inscribiste en/)]);
  }, 90_000);

  it('speaks the user’s language, and sends invitations and password resets even with email turned off', async () => {
    const user = fixture.users.TENANT_ADMIN;
    const db = supergraph.db.database.forTenant(fixture.tenant.id);
    const course = await createCompliantCourse(supergraph.db.database, fixture);
    await db.run(async (tx) => {
      await tx.user.update({ where: { id: user.id }, data: { locale: 'en-US' } });
      await tx.notificationPreference.create({ data: { tenantId: fixture.tenant.id, userId: user.id, email: false, emailKinds: [] } });
      const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
      await userInvited.write(tx, {
        tenantId: fixture.tenant.id,
        aggregateId: user.id,
        payload: { userId: user.id, invitedBy: null, link: '/accept-invitation?token=invitation-token', expiresAt },
      });
      await passwordResetRequested.write(tx, {
        tenantId: fixture.tenant.id,
        aggregateId: user.id,
        payload: { userId: user.id, link: '/reset-password?token=reset-token', expiresAt },
      });
      await enrollmentCreated.write(tx, {
        tenantId: fixture.tenant.id,
        aggregateId: `${course.id}-admin`,
        payload: { enrollmentId: `${course.id}-admin`, courseId: course.id, learnerId: user.id },
      });
    });
    const notified = await until(
      () => db.run((tx) => tx.notification.findMany({ where: { userId: user.id }, select: { kind: true, title: true, locale: true } })),
      (found) => found.length === 3,
      { timeoutMs: 20_000, everyMs: 100 },
    );
    expect(notified.sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
      { kind: 'ENROLLED', title: `You enrolled in “${course.title}”`, locale: 'en' },
      { kind: 'INVITATION', title: `You are invited to ${fixture.tenant.name}`, locale: 'en' },
      { kind: 'PASSWORD_RESET', title: 'Reset your password', locale: 'en' },
    ]);
    const emails = await until(
      () => mailbox.emailsTo(user.email),
      (found) => found.length >= 2,
      { timeoutMs: 20_000, everyMs: 100 },
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const received = (await mailbox.emailsTo(user.email)).map((email) => email.subject).sort();
    expect(received).toEqual(['Reset your password', `You are invited to ${fixture.tenant.name}`]);
    const invitation = emails.find((email) => email.subject.startsWith('You are invited'))!;
    expect(invitation.html).toContain('lang="en"');
    expect(invitation.text).toContain(`https://${fixture.tenant.slug}.academy.test/accept-invitation?token=invitation-token`);
    // The one-time links went from the outbox to the notification and the email, never into Redis:
    // the notify jobs (kept after they ran) hold the events' ids only.
    const jobs = await supergraph.queues.notify.getJobs(['completed', 'failed', 'waiting', 'active', 'delayed']);
    const mine = jobs.filter((job) => job.data.tenantId === fixture.tenant.id && job.data.type.startsWith('user.'));
    expect(mine.map((job) => job.data.type).sort()).toEqual(['user.invited', 'user.password-reset.requested']);
    for (const job of mine)
      expect(Object.keys(job.data).filter((key) => !['outboxId', 'tenantId', 'type', 'traceparent'].includes(key))).toEqual([]);
    for (const job of mine) expect(JSON.stringify(job.data)).not.toMatch(/token|link/);
  }, 60_000);

  it('notifications whose publication never reached the gateway arrive, oldest first, once its connection to Redis is back', async () => {
    const tenantId = fixture.tenant.id;
    const db = supergraph.db.database.forTenant(tenantId);
    const user = await db.run((tx) =>
      tx.user.create({
        data: { tenantId, email: 'avisos@x.test', name: 'Avisos', passwordHash: fixture.users.LEARNER.passwordHash, persona: 'LEARNER' },
      }),
    );
    const token = await supergraph.login(user.email, TEST_PASSWORD, fixture.tenant.slug);
    // Written without the event the relay would publish (as one published while the gateway's Redis connection was down).
    const notify = (title: string) =>
      db.run((tx) =>
        tx.notification.create({
          data: {
            tenantId,
            userId: user.id,
            kind: 'IMPACT_VERIFIED',
            title,
            body: title,
            link: '/impact',
            sourceKey: `test:${title}`,
            payload: {},
          },
        }),
      );
    const listening = supergraph.gateway.events.activeListeners;
    const live = subscribe<{ notificationReceived: { title: string } }>(supergraph.origin, {
      query: 'subscription { notificationReceived { title } }',
      token,
      tenant: fixture.tenant.slug,
    });
    try {
      await live.connected;
      await until(
        () => supergraph.gateway.events.activeListeners,
        (listeners) => listeners > listening,
      );
      // One arrives live (published as the relay does).
      const first = await notify('primera');
      await notificationReceivedChannel.publish(supergraph.redis, supergraph.redisPrefix, tenantId, {
        tenantId,
        notificationId: first.id,
        userId: user.id,
      });
      await live.waitFor(1);
      await notify('segunda');
      await notify('tercera');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(live.events).toHaveLength(1);
      // The connection drops and comes back: the two it missed, in order, and nothing twice.
      supergraph.gatewaySubscriber.disconnect(true);
      await live.waitFor(3, 15_000);
      supergraph.gatewaySubscriber.disconnect(true);
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      expect(live.events.map((event) => event.data!.notificationReceived.title)).toEqual(['primera', 'segunda', 'tercera']);
    } finally {
      await live.dispose();
    }
  }, 60_000);

  it('an email whose job was lost (a crash between the notification and its job) is queued again by the reconciliation, and sent once', async () => {
    const user = fixture.users.EVALUATOR;
    const db = supergraph.db.database.forTenant(fixture.tenant.id);
    const notification = await db.run(async (tx) => {
      const created = await tx.notification.create({
        data: {
          tenantId: fixture.tenant.id,
          userId: user.id,
          kind: 'IMPACT_VERIFIED',
          title: 'Tu impacto fue verificado',
          body: 'Verificaron tu acción «Huerto comunitario».',
          link: '/impact',
          sourceKey: 'test:lost-job',
          payload: { description: 'Huerto comunitario' },
        },
      });
      await tx.emailDelivery.create({ data: { tenantId: fixture.tenant.id, notificationId: created.id } });
      // Written an hour ago, its job never added.
      await tx.$executeRaw`UPDATE email_deliveries SET updated_at = now() - interval '1 hour' WHERE notification_id = ${created.id}::uuid`;
      return created;
    });
    await supergraph.queues.maintenance.add('reconcile-email', { task: 'reconcile-email' });
    const emails = await until(
      () => mailbox.emailsTo(user.email),
      (found) => found.length > 0,
      { timeoutMs: 20_000, everyMs: 100 },
    );
    expect(emails.map((email) => ({ subject: email.subject, id: email.headers['x-academy-notification'] }))).toEqual([
      { subject: 'Tu impacto fue verificado', id: notification.id },
    ]);
    // Reconciled again: it was sent, so nothing is queued or sent twice.
    await supergraph.queues.maintenance.add('reconcile-email', { task: 'reconcile-email' });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await mailbox.emailsTo(user.email)).toHaveLength(1);
    expect(
      await db.run((tx) => tx.emailDelivery.findFirst({ where: { notificationId: notification.id }, select: { status: true } })),
    ).toEqual({
      status: 'SENT',
    });
  }, 60_000);

  it('SMTP down while 20 notifications are made, then up: all 20 emails arrive, none twice', async () => {
    const course = await createCompliantCourse(supergraph.db.database, fixture);
    const learner = fixture.users.INSTRUCTOR; // a fresh inbox: the instructor enrolls in nothing else here
    await mailbox.stop();
    await supergraph.db.database.forTenant(fixture.tenant.id).run(async (tx) => {
      for (let index = 0; index < 20; index += 1) {
        await enrollmentCreated.write(tx, {
          tenantId: fixture.tenant.id,
          aggregateId: `${course.id}-${index}`,
          payload: { enrollmentId: `${course.id}-${index}`, courseId: course.id, learnerId: learner.id },
        });
      }
    });
    const deliveries = () =>
      supergraph.db.database
        .forTenant(fixture.tenant.id)
        .run((tx) =>
          tx.emailDelivery.findMany({ where: { notification: { userId: learner.id } }, select: { status: true, attempts: true } }),
        );
    // Every one tried and refused (SMTP is down), none given up.
    await until(deliveries, (rows) => rows.length === 20 && rows.every((row) => row.status === 'PENDING' && row.attempts >= 1), {
      timeoutMs: 30_000,
      everyMs: 100,
    });
    await mailbox.start();
    const emails = await until(
      () => mailbox.emailsTo(learner.email),
      (found) => found.length >= 20,
      { timeoutMs: 60_000, everyMs: 200 },
    );
    expect(emails).toHaveLength(20);
    expect(new Set(emails.map((email) => email.headers['x-academy-notification'])).size).toBe(20);
    expect((await deliveries()).every((row) => row.status === 'SENT')).toBe(true);
    // Nothing more comes later (a retry never sends twice).
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await mailbox.emailsTo(learner.email)).toHaveLength(20);
  }, 120_000);
});
