import { certificationEvent, courseCompletionEvent } from '@academy/impact-scoring';
import { recordCertificationImpact } from '@academy/subgraph-impact';
import {
  createCompliantCourse,
  createTenant,
  startSupergraph,
  TEST_PASSWORD,
  until,
  type RunningSupergraph,
  type TestTenant,
} from '@academy/testing';

describe('certification saga: impact event -> CONOCER submission', () => {
  let supergraph: RunningSupergraph;
  let fixture: TestTenant;
  let learner: string;
  let instructor: string;
  let admin: string;

  beforeAll(async () => {
    supergraph = await startSupergraph({ isolated: true, conocer: { sandbox: { reviewAfterMs: 100, decisionAfterMs: 300 } } });
    fixture = await createTenant(supergraph.db.database);
    await db().run((tx) => tx.user.update({ where: { id: fixture.users.LEARNER.id }, data: { curp: 'HEGG560427MVZRRL04' } }));
    learner = await supergraph.login(fixture.users.LEARNER.email, TEST_PASSWORD, fixture.tenant.slug);
    instructor = await supergraph.login(fixture.users.INSTRUCTOR.email, TEST_PASSWORD, fixture.tenant.slug);
    admin = await supergraph.login(fixture.users.TENANT_ADMIN.email, TEST_PASSWORD, fixture.tenant.slug);
  });
  afterAll(() => supergraph?.close());

  const db = () => supergraph.db.database.forTenant(fixture.tenant.id);
  const call = async <T>(query: string, token: string, variables: Record<string, unknown> = {}) => {
    const response = await supergraph.request<T>(query, { tenant: fixture.tenant.slug, token, variables });
    if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
    return response.body.data!;
  };

  /** Completes a compliant course through the API (its instructor grades it); returns the certificate id. */
  async function complete(requestConocerCertification: boolean): Promise<string> {
    const course = await createCompliantCourse(supergraph.db.database, fixture);
    const { enroll } = await call<{ enroll: { id: string } }>(
      'mutation($id: ID!, $r: Boolean) { enroll(courseId: $id, requestConocerCertification: $r) { id } }',
      learner,
      { id: course.id, r: requestConocerCertification },
    );
    for (const lesson of course.lessons)
      await call('mutation($e: ID!, $l: ID!) { completeLesson(enrollmentId: $e, lessonId: $l) { id } }', learner, {
        e: enroll.id,
        l: lesson.id,
      });
    await call('mutation($e: ID!) { submitFinalAssessment(enrollmentId: $e, score: 93) { status } }', instructor, { e: enroll.id });
    return (await db().run((tx) => tx.certificate.findFirstOrThrow({ where: { enrollmentId: enroll.id } }))).id;
  }

  async function sagaOf(certificateId: string, status: string) {
    const run = await until(
      () => db().run((tx) => tx.sagaRun.findFirst({ where: { saga: 'certification', key: certificateId } })),
      (found) => found?.status === status,
      { timeoutMs: 20_000, everyMs: 100 },
    );
    expect({ certificateId, status: run?.status }).toEqual({ certificateId, status });
    return run!;
  }

  const steps = (run: { steps: unknown }) =>
    (run.steps as { step: string; status: string; detail?: string }[]).map(({ step, status, detail }) => ({ step, status, detail }));
  const impactEvents = (certificateId: string) =>
    db().run((tx) =>
      tx.impactEvent.findMany({ where: { sourceKey: `certificate:${certificateId}` }, select: { type: true, verification: true } }),
    );
  const scoredEvent = {
    type: true,
    description: true,
    verification: true,
    quantities: true,
    sustainabilityMillipoints: true,
    communityMillipoints: true,
    regenerativeMillipoints: true,
    socialJusticeMillipoints: true,
    circularityMillipoints: true,
  } as const;
  // The learner's notifications of the certificate (from its events, by the notifications domain).
  const notifications = (certificateId: string, count: number) =>
    until(
      () =>
        db().run((tx) =>
          tx.notification.findMany({
            where: { userId: fixture.users.LEARNER.id, link: `/certificates/${certificateId}` },
            select: { kind: true, title: true },
            orderBy: { createdAt: 'desc' },
          }),
        ),
      (found) => found.length >= count,
      { timeoutMs: 20_000, everyMs: 100 },
    );

  it('records the impact, submits to CONOCER when the learner asked, and notifies', async () => {
    const certificateId = await complete(true);
    const run = await sagaOf(certificateId, 'COMPLETED');
    expect(steps(run)).toEqual([
      { step: 'impact-event', status: 'DONE', detail: 'impact event recorded' },
      { step: 'conocer-submission', status: 'DONE', detail: expect.stringMatching(/^submission [0-9a-f-]{36} PENDING$/) },
    ]);
    expect(await impactEvents(certificateId)).toEqual([{ type: 'COURSE_COMPLETION', verification: 'EXPERT_VERIFIED' }]);
    expect((await notifications(certificateId, 1)).at(-1)).toEqual({ kind: 'CERTIFICATE_ISSUED', title: 'Tu certificado está listo' });
    const mine = await call<{ certificate: { conocerStatus: string } }>(
      'query($id: ID!) { certificate(id: $id) { conocerStatus } }',
      learner,
      { id: certificateId },
    );
    expect(['PENDING', 'SUBMITTED', 'IN_REVIEW', 'APPROVED']).toContain(mine.certificate.conocerStatus);
  }, 60_000);

  it('records the completion scored, and CONOCER’s approval as a certification of its own, once', async () => {
    const certificateId = await complete(true);
    await sagaOf(certificateId, 'COMPLETED');
    // Three lessons of 30 minutes: 1.5 hours of learning.
    expect(
      await db().run((tx) => tx.impactEvent.findFirst({ where: { sourceKey: `certificate:${certificateId}` }, select: scoredEvent })),
    ).toEqual(courseCompletionEvent({ title: 'Impartición de talleres comunitarios', minutes: 90 }));
    const submission = await until(
      () => db().run((tx) => tx.conocerSubmission.findFirst({ where: { certificateId }, select: { id: true, status: true } })),
      (found) => found?.status === 'APPROVED',
      { timeoutMs: 20_000, everyMs: 100 },
    );
    expect(submission?.status).toBe('APPROVED');
    const certification = await until(
      () =>
        db().run((tx) =>
          tx.impactEvent.findFirst({ where: { sourceKey: `conocer:${submission!.id}` }, select: { ...scoredEvent, userId: true } }),
        ),
      Boolean,
      { timeoutMs: 20_000, everyMs: 100 },
    );
    expect(certification).toEqual({
      userId: fixture.users.LEARNER.id,
      ...certificationEvent({ standardCode: 'EC0217.01', courseTitle: 'Impartición de talleres comunitarios' }),
    });
    expect(certification!.description).toBe('Certificación oficial CONOCER EC0217.01 («Impartición de talleres comunitarios»)');
    // Delivered again (the relay is at-least-once): still one event.
    expect(await recordCertificationImpact(supergraph.db.database, fixture.tenant.id, submission!.id)).toBe('already recorded');
  }, 60_000);

  it('skips the CONOCER step when the learner did not ask', async () => {
    const certificateId = await complete(false);
    const run = await sagaOf(certificateId, 'COMPLETED');
    expect(steps(run)[1]).toEqual({
      step: 'conocer-submission',
      status: 'SKIPPED',
      detail: 'the learner did not ask for CONOCER certification',
    });
  }, 60_000);

  it('compensates when the certificate is revoked: impact removed, pending submission withdrawn; the learner is told', async () => {
    supergraph.sandbox!.setFaults({ outage: true }); // the submission stays PENDING
    const certificateId = await complete(true);
    await sagaOf(certificateId, 'COMPLETED');
    await call(
      'mutation($id: ID!) { revokeCertificate(id: $id, reason: "Suplantación de identidad en la evaluación") { status } }',
      admin,
      { id: certificateId },
    );
    const run = await sagaOf(certificateId, 'COMPENSATED');
    supergraph.sandbox!.setFaults({ outage: false });
    expect(run.outcome).toBe('certificate revoked');
    expect(steps(run)).toEqual([
      { step: 'impact-event', status: 'COMPENSATED', detail: 'impact event removed' },
      { step: 'conocer-submission', status: 'COMPENSATED', detail: 'pending submission withdrawn' },
    ]);
    expect(await impactEvents(certificateId)).toEqual([]);
    // Told it was issued, then that it was revoked (and why).
    expect(await notifications(certificateId, 2)).toEqual([
      { kind: 'CERTIFICATE_REVOKED', title: 'Tu certificado fue revocado' },
      { kind: 'CERTIFICATE_ISSUED', title: 'Tu certificado está listo' },
    ]);
    const submission = await db().run((tx) =>
      tx.conocerSubmission.findFirstOrThrow({ where: { certificateId }, select: { status: true, failureReason: true } }),
    );
    expect(submission).toEqual({ status: 'FAILED', failureReason: 'Retirada: el certificado fue revocado antes de enviarse' });
  }, 60_000);
});
