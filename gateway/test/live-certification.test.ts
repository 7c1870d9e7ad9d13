import { buildCurp, isValidCurp } from '@academy/curp';
import { certificationStatusChannel } from '@academy/events';
import { changeStatus } from '@academy/subgraph-conocer';
import {
  createCompliantCourse,
  createTenant,
  sampleValue,
  scrape,
  startGatewayProcess,
  startSupergraph,
  subscribe,
  TEST_PASSWORD,
  until,
  type RunningSupergraph,
  type TestTenant,
} from '@academy/testing';

const STATUS_SUBSCRIPTION = `subscription Status($certificateId: ID) {
  certificationStatusChanged(certificateId: $certificateId) {
    status
    previousStatus
    reason
    occurredAt
    certificate { verificationCode course { title } learner { name } }
    submission { folio status }
  }
}`;

interface StatusEvent {
  certificationStatusChanged: {
    status: string;
    previousStatus: string | null;
    reason: string | null;
    occurredAt: string;
    certificate: { verificationCode: string; course: { title: string }; learner: { name: string } };
    submission: { folio: string | null; status: string };
  };
}

/** CURPs that pass RENAPO's check digit (a learner needs one for CONOCER). */
const CURPS = [
  'HEGG560427MVZRRL04',
  buildCurp({
    givenNames: 'Lucía',
    firstSurname: 'Santiago',
    secondSurname: 'Cruz',
    birthDate: new Date(Date.UTC(1999, 6, 14)),
    sex: 'M',
    state: 'OC',
  }),
  buildCurp({
    givenNames: 'Tonatiuh',
    firstSurname: 'Ramírez',
    secondSurname: 'Luna',
    birthDate: new Date(Date.UTC(2001, 1, 3)),
    sex: 'H',
    state: 'NL',
  }),
];

describe('live certification over graphql-ws', () => {
  let supergraph: RunningSupergraph;
  let fixture: TestTenant;
  let other: TestTenant;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    supergraph = await startSupergraph({
      isolated: true,
      conocer: { sandbox: { reviewAfterMs: 300, decisionAfterMs: 800, approvalScore: 85 } },
    });
    fixture = await createTenant(supergraph.db.database);
    other = await createTenant(supergraph.db.database);
    const db = supergraph.db.database.forTenant(fixture.tenant.id);
    const second = await db.run((tx) =>
      tx.user.create({
        data: {
          tenantId: fixture.tenant.id,
          email: 'segunda@x.test',
          name: 'Segunda Aprendiz',
          passwordHash: fixture.users.LEARNER.passwordHash,
          persona: 'LEARNER',
        },
      }),
    );
    tokens.learner = await supergraph.login(fixture.users.LEARNER.email, TEST_PASSWORD, fixture.tenant.slug);
    tokens.second = await supergraph.login(second.email, TEST_PASSWORD, fixture.tenant.slug);
    tokens.evaluator = await supergraph.login(fixture.users.EVALUATOR.email, TEST_PASSWORD, fixture.tenant.slug);
    tokens.otherAdmin = await supergraph.login(other.users.TENANT_ADMIN.email, TEST_PASSWORD, other.tenant.slug);
    expect(CURPS.every(isValidCurp)).toBe(true);
  });
  afterAll(() => supergraph?.close());

  const graphql = <T = Record<string, unknown>>(query: string, token: string, variables: Record<string, unknown> = {}, origin?: string) =>
    (origin
      ? fetch(`${origin}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-tenant': fixture.tenant.slug, authorization: `Bearer ${token}` },
          body: JSON.stringify({ query, variables }),
        }).then(async (response) => ({ body: (await response.json()) as { data?: T; errors?: unknown[] } }))
      : supergraph.request<T>(query, { tenant: fixture.tenant.slug, token, variables })
    ).then((response) => {
      if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
      return response.body.data!;
    });

  /** Through the API: CURP, enrollment, every lesson, an evaluator's passing grade; returns the certificate id. */
  async function completeCourse(token: string, curp: string, score: number, origin?: string): Promise<string> {
    await graphql('mutation($curp: String!) { updateMyProfile(input: { curp: $curp }) { id } }', token, { curp }, origin);
    const course = await createCompliantCourse(supergraph.db.database, fixture);
    const { enroll } = await graphql<{ enroll: { id: string } }>(
      'mutation($id: ID!) { enroll(courseId: $id) { id } }',
      token,
      { id: course.id },
      origin,
    );
    for (const lesson of course.lessons) {
      await graphql(
        'mutation($e: ID!, $l: ID!) { completeLesson(enrollmentId: $e, lessonId: $l) { id } }',
        token,
        { e: enroll.id, l: lesson.id },
        origin,
      );
    }
    await graphql(
      'mutation($e: ID!, $s: Int!) { submitFinalAssessment(enrollmentId: $e, score: $s) { status } }',
      tokens.evaluator!,
      { e: enroll.id, s: score },
      origin,
    );
    const { me } = await graphql<{ me: { certificates: { id: string; course: { title: string } }[] } }>(
      '{ me { certificates { id } } }',
      token,
      {},
      origin,
    );
    return me.certificates[0]!.id;
  }

  it('shows a learner PENDING -> SUBMITTED -> IN_REVIEW -> APPROVED with fields from every subgraph; nobody else sees it', async () => {
    const mine = subscribe<StatusEvent>(supergraph.origin, {
      query: STATUS_SUBSCRIPTION,
      token: tokens.learner!,
      tenant: fixture.tenant.slug,
    });
    const staff = subscribe<StatusEvent>(supergraph.origin, {
      query: STATUS_SUBSCRIPTION,
      token: tokens.evaluator!,
      tenantParam: fixture.tenant.slug,
    });
    const classmate = subscribe<StatusEvent>(supergraph.origin, {
      query: STATUS_SUBSCRIPTION,
      token: tokens.second!,
      path: `/t/${fixture.tenant.slug}/graphql`,
    });
    const outsider = subscribe<StatusEvent>(supergraph.origin, {
      query: STATUS_SUBSCRIPTION,
      token: tokens.otherAdmin!,
      tenant: other.tenant.slug,
    });
    await Promise.all([mine.connected, staff.connected, classmate.connected, outsider.connected]);
    try {
      const certificateId = await completeCourse(tokens.learner!, CURPS[0]!, 95);
      const { requestConocerCertification } = await graphql<{ requestConocerCertification: { status: string } }>(
        'mutation($id: ID!) { requestConocerCertification(certificateId: $id) { status } }',
        tokens.learner!,
        { id: certificateId },
      );
      expect(requestConocerCertification).toEqual({ status: 'PENDING' });

      await mine.waitFor(4);
      const events = mine.events.map((event) => event.data!.certificationStatusChanged);
      expect(mine.events.every((event) => !event.errors)).toBe(true);
      expect(events.map((event) => [event.previousStatus, event.status])).toEqual([
        ['NOT_REQUESTED', 'PENDING'],
        ['PENDING', 'SUBMITTED'],
        ['SUBMITTED', 'IN_REVIEW'],
        ['IN_REVIEW', 'APPROVED'],
      ]);
      for (const event of events) {
        expect(event.certificate).toEqual({
          verificationCode: expect.any(String),
          course: { title: 'Impartición de talleres comunitarios' },
          learner: { name: fixture.users.LEARNER.name },
        });
      }
      expect(events[0]!.submission.folio).toBeNull();
      expect(events[3]!.submission).toEqual({ folio: expect.stringMatching(/^CONOCER-\d{4}-/), status: 'APPROVED' });

      // Staff of the tenant see every certificate's changes; the classmate and the other tenant nothing.
      await staff.waitFor(4);
      expect(staff.events.map((event) => event.data!.certificationStatusChanged.status)).toEqual([
        'PENDING',
        'SUBMITTED',
        'IN_REVIEW',
        'APPROVED',
      ]);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(classmate.events).toEqual([]);
      expect(outsider.events).toEqual([]);

      // The verification by code now tells CONOCER's decision.
      const code = events[0]!.certificate.verificationCode;
      const verified = await supergraph.request('query($code: String!) { verifyCertificate(code: $code) { valid conocerStatus } }', {
        tenant: 'demo',
        variables: { code },
      });
      expect(verified.body).toEqual({ data: { verifyCertificate: { valid: true, conocerStatus: 'APPROVED' } } });
    } finally {
      await Promise.all([mine.dispose(), staff.dispose(), classmate.dispose(), outsider.dispose()]);
    }
  }, 60_000);

  it("shows a REJECTED decision with CONOCER's reason, to a subscriber of that one certificate", async () => {
    const certificateId = await completeCourse(tokens.second!, CURPS[1]!, 80);
    const watching = subscribe<StatusEvent>(supergraph.origin, {
      query: STATUS_SUBSCRIPTION,
      token: tokens.second!,
      tenant: fixture.tenant.slug,
      variables: { certificateId },
    });
    await watching.connected;
    try {
      await graphql('mutation($id: ID!) { requestConocerCertification(certificateId: $id) { status } }', tokens.second!, {
        id: certificateId,
      });
      await watching.waitFor(4);
      const last = watching.events[3]!.data!.certificationStatusChanged;
      expect(last).toMatchObject({
        status: 'REJECTED',
        previousStatus: 'IN_REVIEW',
        reason: 'Juicio: todavía no competente. La evaluación (80) no alcanza el nivel de competencia requerido (85).',
        submission: { status: 'REJECTED' },
      });
      const submission = await graphql<{
        certificate: { conocerStatus: string; conocerSubmission: { rejectionReason: string; history: { status: string }[] } };
      }>(
        'query($id: ID!) { certificate(id: $id) { conocerStatus conocerSubmission { rejectionReason history { status } } } }',
        tokens.second!,
        { id: certificateId },
      );
      expect(submission.certificate).toEqual({
        conocerStatus: 'REJECTED',
        conocerSubmission: {
          rejectionReason: last.reason,
          history: [{ status: 'PENDING' }, { status: 'SUBMITTED' }, { status: 'IN_REVIEW' }, { status: 'REJECTED' }],
        },
      });
    } finally {
      await watching.dispose();
    }
  }, 60_000);

  it('refuses, when it subscribes, a certificate the subscriber may not see, instead of a subscription that never delivers', async () => {
    const certificateId = await completeCourse(tokens.learner!, CURPS[0]!, 95);
    const refused = async (token: string, tenant: string, id: string) => {
      const live = subscribe<StatusEvent>(supergraph.origin, {
        query: STATUS_SUBSCRIPTION,
        token,
        tenant,
        variables: { certificateId: id },
      });
      try {
        return await live.failed;
      } finally {
        await live.dispose();
      }
    };
    const notFound = [{ message: 'Certificate not found', extensions: { code: 'NOT_FOUND' } }];
    // A classmate, another tenant's admin, an id nobody has.
    expect(await refused(tokens.second!, fixture.tenant.slug, certificateId)).toEqual(notFound);
    expect(await refused(tokens.otherAdmin!, other.tenant.slug, certificateId)).toEqual(notFound);
    expect(await refused(tokens.learner!, fixture.tenant.slug, '00000000-0000-4000-8000-000000000000')).toEqual(notFound);
    // An id with a NUL character is refused as input.
    expect(await refused(tokens.learner!, fixture.tenant.slug, 'x\u0000')).toEqual([
      { message: 'Invalid input: `id` contains a NUL character', extensions: { code: 'BAD_USER_INPUT' } },
    ]);
    // An invalid @include value (graphql-js' subscription rule throws on it instead of reporting it).
    const invalid = subscribe(supergraph.origin, {
      query: 'subscription { certificationStatusChanged @include(if: "yes") { status } }',
      token: tokens.learner!,
      tenant: fixture.tenant.slug,
    });
    expect(await invalid.failed).toEqual([
      { message: 'Argument "if" has invalid value "yes".', locations: [{ line: 1, column: 56 }], extensions: { code: 'BAD_USER_INPUT' } },
    ]);
    await invalid.dispose();
    // The learner's own, and staff of the tenant: accepted.
    for (const token of [tokens.learner!, tokens.evaluator!]) {
      const live = subscribe<StatusEvent>(supergraph.origin, {
        query: STATUS_SUBSCRIPTION,
        token,
        tenant: fixture.tenant.slug,
        variables: { certificateId },
      });
      await live.connected;
      const outcome = await Promise.race([live.failed, new Promise((resolve) => setTimeout(() => resolve('still subscribed'), 300))]);
      await live.dispose();
      expect(outcome).toBe('still subscribed');
    }
  }, 60_000);

  it('waits, when it subscribes while the subgraph that checks the certificate is down, and listens once it is back', async () => {
    // The learner's certificate of the first test, APPROVED by the sandbox.
    const db = supergraph.db.database.forTenant(fixture.tenant.id);
    const submission = await db.run((tx) =>
      tx.conocerSubmission.findFirstOrThrow({ where: { requestedById: fixture.users.LEARNER.id, status: 'APPROVED' } }),
    );
    const before = supergraph.gateway.events.activeListeners;
    await supergraph.stopSubgraph('certifications');
    const live = subscribe<StatusEvent>(supergraph.origin, {
      query: STATUS_SUBSCRIPTION,
      token: tokens.learner!,
      tenant: fixture.tenant.slug,
      variables: { certificateId: submission.certificateId },
    });
    try {
      await live.connected;
      // Checked, not answered: asked again (not refused UPSTREAM_UNAVAILABLE) until it is back.
      const outcome = await Promise.race([live.failed, new Promise((resolve) => setTimeout(() => resolve('waiting'), 1_500))]);
      expect(outcome).toBe('waiting');
      await supergraph.startSubgraph('certifications');
      await until(
        () => supergraph.gateway.events.activeListeners,
        (listeners) => listeners > before,
        { timeoutMs: 15_000 },
      );
      const moved = (await db.run((tx) => changeStatus(tx, submission, { status: 'IN_REVIEW', reason: 'after the outage' })))!;
      await db.run((tx) => changeStatus(tx, moved, { status: 'APPROVED', reason: 'again' }));
      await live.waitFor(2);
      expect(live.events.map((event) => event.data!.certificationStatusChanged.reason)).toEqual(['after the outage', 'again']);
    } finally {
      await supergraph.startSubgraph('certifications');
      await live.dispose();
    }
  }, 60_000);

  it('replays, to a subscriber back with afterEventId, the changes it missed, then the live ones, each once', async () => {
    const REPLAYED = `subscription ($certificateId: ID, $after: ID) {
      certificationStatusChanged(certificateId: $certificateId, afterEventId: $after) { id status previousStatus }
    }`;
    type Replayed = { certificationStatusChanged: { id: string; status: string; previousStatus: string | null } };
    const user = await supergraph.db.database.forTenant(fixture.tenant.id).run((tx) =>
      tx.user.create({
        data: {
          tenantId: fixture.tenant.id,
          email: `vuelve-${Date.now()}@x.test`,
          name: 'Itzel Hernández',
          passwordHash: fixture.users.LEARNER.passwordHash,
          persona: 'LEARNER',
        },
      }),
    );
    const token = await supergraph.login(user.email, TEST_PASSWORD, fixture.tenant.slug);
    const curp = buildCurp({
      givenNames: 'Itzel',
      firstSurname: 'Hernández',
      secondSurname: 'Mora',
      birthDate: new Date(Date.UTC(1995, 3, 21)),
      sex: 'M',
      state: 'PL',
    });
    const certificateId = await completeCourse(token, curp, 95);
    const watch = (after?: string, as = token) =>
      subscribe<Replayed>(supergraph.origin, {
        query: REPLAYED,
        token: as,
        tenant: fixture.tenant.slug,
        variables: { certificateId, ...(after ? { after } : {}) },
      });

    // The client sees PENDING, then goes away.
    const first = watch();
    await first.connected;
    await graphql('mutation($id: ID!) { requestConocerCertification(certificateId: $id) { status } }', token, { id: certificateId });
    await first.waitFor(1);
    const lastSeen = first.events[0]!.data!.certificationStatusChanged;
    expect(lastSeen).toMatchObject({ status: 'PENDING', previousStatus: 'NOT_REQUESTED' });
    await first.dispose();
    const decided = await until(
      () =>
        graphql<{ certificate: { conocerStatus: string } }>('query($id: ID!) { certificate(id: $id) { conocerStatus } }', token, {
          id: certificateId,
        }),
      (answer) => answer.certificate.conocerStatus === 'APPROVED',
      { timeoutMs: 20_000, everyMs: 100 },
    );
    expect(decided.certificate.conocerStatus).toBe('APPROVED');

    // Back, from its last event: what it missed, in order, once.
    supergraph.statements.reset();
    const back = watch(lastSeen.id);
    await back.waitFor(3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // What it missed was asked once (the same answer checked its afterEventId and is the replay):
    // the changes after its event's time. (The workers may still be reading the approval's change
    // for the impact report and the learner's email: those are not the replay's.)
    const replays = supergraph.statements.texts.filter(
      (text) =>
        text.includes('FROM "public"."conocer_status_changes"') && text.includes('"public"."conocer_status_changes"."occurred_at" > $'),
    );
    expect(replays).toHaveLength(1);
    const missed = back.events.map((event) => event.data!.certificationStatusChanged);
    expect(missed.map((event) => [event.previousStatus, event.status])).toEqual([
      ['PENDING', 'SUBMITTED'],
      ['SUBMITTED', 'IN_REVIEW'],
      ['IN_REVIEW', 'APPROVED'],
    ]);
    expect(new Set([lastSeen.id, ...missed.map((event) => event.id)]).size).toBe(4);
    await back.dispose();

    // From the last one: nothing more. Someone else's event, or one nobody has: refused.
    const upToDate = watch(missed[2]!.id);
    await upToDate.connected;
    const outcome = await Promise.race([upToDate.failed, new Promise((resolve) => setTimeout(() => resolve('nothing'), 500))]);
    expect([outcome, upToDate.events]).toEqual(['nothing', []]);
    await upToDate.dispose();
    for (const [after, as] of [
      [lastSeen.id, tokens.second!],
      ['00000000-0000-4000-8000-000000000000', token],
    ] as const) {
      // Every certificate the subscriber may see, after an event that is not theirs to see.
      const refused = subscribe<Replayed>(supergraph.origin, {
        query: 'subscription ($after: ID) { certificationStatusChanged(afterEventId: $after) { id status } }',
        token: as,
        tenant: fixture.tenant.slug,
        variables: { after },
      });
      expect(await refused.failed).toEqual([{ message: 'Event to replay after not found', extensions: { code: 'NOT_FOUND' } }]);
      await refused.dispose();
    }
  }, 60_000);

  it('replays more than one page of missed changes (100 a page) to a subscriber back with afterEventId, in order, once', async () => {
    const db = supergraph.db.database.forTenant(fixture.tenant.id);
    const submission = await db.run((tx) =>
      tx.conocerSubmission.findFirstOrThrow({ where: { requestedById: fixture.users.LEARNER.id }, orderBy: { updatedAt: 'desc' } }),
    );
    const changesOf = () =>
      db.run((tx) =>
        tx.conocerStatusChange.findMany({
          where: { submissionId: submission.id },
          orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }],
          select: { id: true, status: true, reason: true },
        }),
      );
    const lastSeen = (await changesOf()).at(-1)!;
    // While the client is away: 102 changes, written as the workers write them.
    let current = submission;
    for (let i = 0; i < 102; i += 1)
      current = (await db.run((tx) =>
        changeStatus(tx, current, { status: i % 2 === 0 ? 'IN_REVIEW' : 'APPROVED', reason: `vuelta ${i}` }),
      ))!;
    const missed = (await changesOf()).slice((await changesOf()).findIndex((change) => change.id === lastSeen.id) + 1);
    expect(missed).toHaveLength(102);
    // Published by the relay before the client is back (not delivered to it live: replayed).
    await until(
      () => db.run((tx) => tx.outboxEvent.count({ where: { publishedAt: null } })),
      (unpublished) => unpublished === 0,
      { timeoutMs: 30_000, everyMs: 100 },
    );
    const back = subscribe<{ certificationStatusChanged: { id: string; status: string; reason: string | null } }>(supergraph.origin, {
      query: `subscription ($certificateId: ID, $after: ID) {
        certificationStatusChanged(certificateId: $certificateId, afterEventId: $after) { id status reason }
      }`,
      token: tokens.learner!,
      tenant: fixture.tenant.slug,
      variables: { certificateId: submission.certificateId, after: lastSeen.id },
    });
    try {
      await back.waitFor(102, 30_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(back.events.map((event) => event.data!.certificationStatusChanged)).toEqual(missed);
    } finally {
      await back.dispose();
    }
  }, 90_000);

  /** Subscriptions listening on the gateway (a subscription is acknowledged before it listens). */
  const listening = async () => sampleValue(await scrape(`${supergraph.origin}/metrics`), 'academy_gateway_active_subscriptions') ?? 0;

  /** The evaluator, subscribed to every certification status change of the tenant, acknowledged. */
  const staffSubscription = async () => {
    const staff = subscribe<StatusEvent>(supergraph.origin, {
      query: STATUS_SUBSCRIPTION,
      token: tokens.evaluator!,
      tenant: fixture.tenant.slug,
    });
    await staff.connected;
    return staff;
  };

  it('delivers a burst of changes to a staff subscriber, all of them, in the order they were committed', async () => {
    // The REJECTED submission of the test above, moved back and forth as fast as the database commits.
    const db = supergraph.db.database.forTenant(fixture.tenant.id);
    const submission = await db.run((tx) => tx.conocerSubmission.findFirstOrThrow({ where: { status: 'REJECTED' } }));
    const staff = await staffSubscription();
    try {
      const reasons = Array.from({ length: 24 }, (_, i) => `burst ${i + 1}`);
      let current = submission;
      for (const [i, reason] of reasons.entries()) {
        current = (await db.run((tx) => changeStatus(tx, current, { status: i % 2 === 0 ? 'IN_REVIEW' : 'REJECTED', reason })))!;
      }
      await staff.waitFor(24);
      expect(staff.events.map((event) => event.data!.certificationStatusChanged.reason)).toEqual(reasons);
      expect(staff.events.map((event) => event.data!.certificationStatusChanged.status)).toEqual(
        reasons.map((_, i) => (i % 2 === 0 ? 'IN_REVIEW' : 'REJECTED')),
      );
    } finally {
      await staff.dispose();
    }
  }, 60_000);

  it('delivers a change once though it is published again (the outbox relay publishes at least once)', async () => {
    // The submission of the tests above, REJECTED again after the burst.
    const db = supergraph.db.database.forTenant(fixture.tenant.id);
    const submission = await db.run((tx) => tx.conocerSubmission.findFirstOrThrow({ where: { status: 'REJECTED' } }));
    const staff = await staffSubscription();
    try {
      const moved = (await db.run((tx) => changeStatus(tx, submission, { status: 'IN_REVIEW', reason: 'once' })))!;
      await staff.waitFor(1);
      // As a relay that published it and died (or lost the database) before marking it sent: again.
      const change = await db.run((tx) =>
        tx.conocerStatusChange.findFirstOrThrow({ where: { submissionId: submission.id }, orderBy: { occurredAt: 'desc' } }),
      );
      await certificationStatusChannel.publish(supergraph.redis, supergraph.redisPrefix, fixture.tenant.id, {
        tenantId: fixture.tenant.id,
        changeId: change.id,
        submissionId: submission.id,
        certificateId: submission.certificateId,
        learnerId: submission.requestedById,
        status: 'IN_REVIEW',
        previousStatus: 'REJECTED',
      });
      await db.run((tx) => changeStatus(tx, moved, { status: 'REJECTED', reason: 'after' }));
      await staff.waitFor(2);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(staff.events.map((event) => event.data!.certificationStatusChanged.reason)).toEqual(['once', 'after']);
    } finally {
      await staff.dispose();
    }
  });

  it('delivers, in order, the changes made while the subgraph that resolves them was down, once it is back', async () => {
    const db = supergraph.db.database.forTenant(fixture.tenant.id);
    const submission = await db.run((tx) => tx.conocerSubmission.findFirstOrThrow({ where: { status: 'REJECTED' } }));
    const staff = await staffSubscription();
    try {
      await supergraph.stopSubgraph('conocer');
      const moved = (await db.run((tx) => changeStatus(tx, submission, { status: 'IN_REVIEW', reason: 'while down' })))!;
      await db.run((tx) => changeStatus(tx, moved, { status: 'REJECTED', reason: 'still down' }));
      // Published, and not resolvable: nothing yet, nothing skipped.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(staff.events).toEqual([]);
      await supergraph.startSubgraph('conocer');
      await staff.waitFor(2, 30_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(staff.events.map((event) => event.data!.certificationStatusChanged.reason)).toEqual(['while down', 'still down']);
    } finally {
      await supergraph.startSubgraph('conocer');
      await staff.dispose();
    }
  }, 60_000);

  it('asks for the changes published while its connection to Redis was down, once it is back', async () => {
    const db = supergraph.db.database.forTenant(fixture.tenant.id);
    const submission = await db.run((tx) => tx.conocerSubmission.findFirstOrThrow({ where: { status: 'REJECTED' } }));
    const staff = await staffSubscription();
    try {
      const moved = (await db.run((tx) => changeStatus(tx, submission, { status: 'IN_REVIEW', reason: 'before' })))!;
      await staff.waitFor(1);
      // A change whose publication never reached this gateway (as one published while its Redis
      // connection was down): its outbox event is marked published in its own transaction.
      await db.run(async (tx) => {
        await changeStatus(tx, moved, { status: 'REJECTED', reason: 'missed' });
        await tx.$executeRaw`SELECT app_outbox_mark_published(ARRAY(SELECT id FROM app_outbox_claim(100)))`;
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(staff.events).toHaveLength(1);
      // The connection drops and comes back.
      supergraph.gatewaySubscriber.disconnect(true);
      await staff.waitFor(2, 15_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(staff.events.map((event) => event.data!.certificationStatusChanged.reason)).toEqual(['before', 'missed']);
    } finally {
      await staff.dispose();
    }
  }, 60_000);

  it('asks, for a subscriber that had received nothing, for the changes since it subscribed once its Redis connection is back', async () => {
    const db = supergraph.db.database.forTenant(fixture.tenant.id);
    const submission = await db.run((tx) => tx.conocerSubmission.findFirstOrThrow({ where: { status: 'REJECTED' } }));
    // The tests above changed it: more than a second ago (a replay from a time starts a second earlier).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const before = await listening();
    const subscribedAt = new Date();
    const staff = await staffSubscription();
    // Listening, and watching for gaps, before the changes (its acknowledgement comes earlier).
    await until(listening, (count) => count > before, { timeoutMs: 10_000, everyMs: 50 });
    try {
      await db.run(async (tx) => {
        const at = new Date();
        const moved = (await changeStatus(tx, submission, { status: 'IN_REVIEW', reason: 'first, missed' }, at))!;
        await changeStatus(tx, moved, { status: 'REJECTED', reason: 'second, missed' }, new Date(at.getTime() + 1));
        await tx.$executeRaw`SELECT app_outbox_mark_published(ARRAY(SELECT id FROM app_outbox_claim(100)))`;
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(staff.events).toEqual([]);
      supergraph.gatewaySubscriber.disconnect(true);
      await staff.waitFor(2, 15_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(staff.events.map((event) => event.data!.certificationStatusChanged.reason)).toEqual(['first, missed', 'second, missed']);
      // What it asked: the changes from a time on that the viewer may see (staff: the tenant's;
      // a learner: their own), a time that is no time refused.
      const since = (token: string) =>
        graphql<{ events: { reason: string }[] }>(
          'query($since: DateTime!) { events: certificationStatusEventsSince(since: $since) { reason } }',
          token,
          { since: new Date(subscribedAt.getTime() - 1_000).toISOString() },
        ).then(({ events }) => events.map((event) => event.reason));
      const owner = submission.requestedById === fixture.users.LEARNER.id ? tokens.learner! : tokens.second!;
      const notOwner = owner === tokens.learner ? tokens.second! : tokens.learner!;
      expect({
        staff: await since(tokens.evaluator!),
        owner: await since(owner),
        notOwner: await since(notOwner),
      }).toEqual({ staff: ['first, missed', 'second, missed'], owner: ['first, missed', 'second, missed'], notOwner: [] });
      const garbage = await supergraph.request('{ certificationStatusEventsSince(since: "yesterday") { id } }', {
        tenant: fixture.tenant.slug,
        token: owner,
      });
      expect(garbage.body.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    } finally {
      await staff.dispose();
    }
  }, 60_000);

  it('catches up a subscription that began while its Redis connection was down, once it is back', async () => {
    const db = supergraph.db.database.forTenant(fixture.tenant.id);
    const submission = await db.run((tx) => tx.conocerSubmission.findFirstOrThrow({ where: { status: 'REJECTED' } }));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const before = await listening();
    // Down (and staying down) before the subscriber comes.
    supergraph.gatewaySubscriber.disconnect();
    await until(
      async () => supergraph.gatewaySubscriber.status,
      (status) => status === 'end',
      { timeoutMs: 5_000, everyMs: 20 },
    );
    const staff = await staffSubscription();
    try {
      await until(listening, (count) => count > before, { timeoutMs: 10_000, everyMs: 50 });
      await db.run(async (tx) => {
        const at = new Date();
        const moved = (await changeStatus(tx, submission, { status: 'IN_REVIEW', reason: 'while it was down' }, at))!;
        await changeStatus(tx, moved, { status: 'REJECTED', reason: 'still down' }, new Date(at.getTime() + 1));
        await tx.$executeRaw`SELECT app_outbox_mark_published(ARRAY(SELECT id FROM app_outbox_claim(100)))`;
      });
      await supergraph.gatewaySubscriber.connect();
      await staff.waitFor(2, 15_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(staff.events.map((event) => event.data!.certificationStatusChanged.reason)).toEqual(['while it was down', 'still down']);
    } finally {
      if (supergraph.gatewaySubscriber.status === 'end') await supergraph.gatewaySubscriber.connect();
      await staff.dispose();
    }
  }, 60_000);

  it('catches up an outage of its Redis connection that began before the last one was caught up', async () => {
    const db = supergraph.db.database.forTenant(fixture.tenant.id);
    const submission = await db.run((tx) => tx.conocerSubmission.findFirstOrThrow({ where: { status: 'REJECTED' } }));
    const staff = await staffSubscription();
    const subscriber = supergraph.gatewaySubscriber;
    try {
      const moved = (await db.run((tx) => changeStatus(tx, submission, { status: 'IN_REVIEW', reason: 'before' })))!;
      await staff.waitFor(1);
      // The connection drops and comes back (what it missed is asked within 3 s), then drops again
      // and stays down past that time.
      subscriber.disconnect(true);
      await until(
        () => subscriber.status,
        (status) => status === 'ready',
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      subscriber.disconnect();
      await new Promise((resolve) => setTimeout(resolve, 3_500));
      // A change published while it is down (never reaches this gateway).
      await db.run(async (tx) => {
        await changeStatus(tx, moved, { status: 'REJECTED', reason: 'during the second outage' });
        await tx.$executeRaw`SELECT app_outbox_mark_published(ARRAY(SELECT id FROM app_outbox_claim(100)))`;
      });
      expect(staff.events).toHaveLength(1);
      await subscriber.connect();
      await staff.waitFor(2, 15_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(staff.events.map((event) => event.data!.certificationStatusChanged.reason)).toEqual(['before', 'during the second outage']);
    } finally {
      if (subscriber.status === 'end') await subscriber.connect();
      await staff.dispose();
    }
  }, 60_000);

  it('delivers, to a subscriber on one gateway process, the events caused through another', async () => {
    const second = await startGatewayProcess(supergraph);
    const learner = await db().run((tx) =>
      tx.user.create({
        data: {
          tenantId: fixture.tenant.id,
          email: 'tercera@x.test',
          name: 'Tercera Aprendiz',
          passwordHash: fixture.users.LEARNER.passwordHash,
          persona: 'LEARNER',
        },
      }),
    );
    const token = await supergraph.login(learner.email, TEST_PASSWORD, fixture.tenant.slug);
    // Subscribed on the other process; every mutation goes through this one.
    const onFirst = subscribe<StatusEvent>(second.origin, { query: STATUS_SUBSCRIPTION, token, tenant: fixture.tenant.slug });
    await onFirst.connected;
    try {
      const certificateId = await completeCourse(token, CURPS[2]!, 92);
      await graphql('mutation($id: ID!) { requestConocerCertification(certificateId: $id) { status } }', token, { id: certificateId });
      await onFirst.waitFor(4);
      expect(onFirst.events.map((event) => event.data!.certificationStatusChanged.status)).toEqual([
        'PENDING',
        'SUBMITTED',
        'IN_REVIEW',
        'APPROVED',
      ]);
    } finally {
      await onFirst.dispose();
      await second.close();
    }
  }, 60_000);

  const db = () => supergraph.db.database.forTenant(fixture.tenant.id);
});
