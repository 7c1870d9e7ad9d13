import type { ConocerStatus } from '@academy/platform';
import { createCompliantCourse, createTenant, startSubgraph, uniqueId, type RunningSubgraph, type TestTenant } from '@academy/testing';
import { certificateOf, CURP, submissionIn } from './fixtures';

/** The conocer subgraph's mutations: a learner's request to CONOCER, an admin's retry, a platform admin's standards sync. */
describe('conocer subgraph mutations', () => {
  let subgraph: RunningSubgraph;
  beforeAll(async () => {
    subgraph = await startSubgraph('conocer');
  });
  afterAll(() => subgraph?.close());

  const as = (fixture: TestTenant, persona: keyof TestTenant['users']) => ({ tenant: fixture.tenant, viewer: fixture.users[persona] });
  const outboxOf = (fixture: TestTenant, aggregateId: string) =>
    subgraph.db.database.forTenant(fixture.tenant.id).run((tx) =>
      tx.outboxEvent.findMany({
        where: { aggregateId },
        orderBy: { id: 'asc' },
        select: { type: true, aggregateType: true, payload: true },
      }),
    );
  /** A fresh tenant whose LEARNER has a certificate of a compliant course (and, unless told, a CURP). */
  const learnerWithCertificate = async ({ curp = CURP as string | null } = {}) => {
    const fixture = await createTenant(subgraph.db.database);
    const course = await createCompliantCourse(subgraph.db.database, fixture);
    const certificate = await certificateOf(subgraph.db.database, fixture, course.id);
    if (curp)
      await subgraph.db.database
        .forTenant(fixture.tenant.id)
        .run((tx) => tx.user.update({ where: { id: fixture.users.LEARNER.id }, data: { curp } }));
    return { fixture, course, certificate };
  };

  describe('requestConocerCertification', () => {
    const REQUEST = `mutation ($certificateId: ID!) { requestConocerCertification(certificateId: $certificateId) {
      id status folio rejectionReason attempts certificate { id } standard { code } history { status reason }
    } }`;

    it('queues the certificate once: a PENDING submission, its history, and the status-change and delivery events in the outbox', async () => {
      const { fixture, certificate } = await learnerWithCertificate();
      const request = () =>
        subgraph.request<{ requestConocerCertification: { id: string } }>(REQUEST, {
          variables: { certificateId: certificate.id },
          ...as(fixture, 'LEARNER'),
        });
      const first = await request();
      const id = first.body.data!.requestConocerCertification.id;
      const expected = {
        data: {
          requestConocerCertification: {
            id,
            status: 'PENDING',
            folio: null,
            rejectionReason: null,
            attempts: 0,
            certificate: { id: certificate.id },
            standard: { code: 'EC0217.01' },
            history: [{ status: 'PENDING', reason: null }],
          },
        },
      };
      expect(first.body).toEqual({
        data: { requestConocerCertification: { ...expected.data.requestConocerCertification, id: expect.any(String) } },
      });
      const change = await subgraph.db.database
        .forTenant(fixture.tenant.id)
        .run((tx) => tx.conocerStatusChange.findFirstOrThrow({ where: { submissionId: id } }));
      const events = [
        {
          type: 'conocer.status.changed',
          aggregateType: 'ConocerSubmission',
          payload: {
            tenantId: fixture.tenant.id,
            changeId: change.id,
            submissionId: id,
            certificateId: certificate.id,
            learnerId: fixture.users.LEARNER.id,
            status: 'PENDING',
            previousStatus: 'NOT_REQUESTED',
          },
        },
        {
          type: 'conocer.submission.requested',
          aggregateType: 'ConocerSubmission',
          payload: { submissionId: id, certificateId: certificate.id },
        },
      ];
      expect(await outboxOf(fixture, id)).toEqual(events);

      // Asking again answers the same submission and queues nothing more.
      expect((await request()).body).toEqual(expected);
      expect(await outboxOf(fixture, id)).toEqual(events);
      const submissions = await subgraph.db.database.forTenant(fixture.tenant.id).run((tx) => tx.conocerSubmission.count());
      expect(submissions).toBe(1);
    });

    it("needs the learner's CURP first", async () => {
      const { fixture, certificate } = await learnerWithCertificate({ curp: null });
      expect((await subgraph.request(REQUEST, { variables: { certificateId: certificate.id }, ...as(fixture, 'LEARNER') })).body).toEqual({
        data: null,
        errors: [
          {
            message: 'CONOCER needs your CURP: add it with updateMyProfile first',
            path: ['requestConocerCertification'],
            extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'curp', message: 'missing' }] },
          },
        ],
      });
      expect(await subgraph.db.database.forTenant(fixture.tenant.id).run((tx) => tx.conocerSubmission.count())).toBe(0);
    });

    it('refuses a course that breaks the compliance rules, one issue per rule, and a revoked certificate', async () => {
      const { fixture, course, certificate } = await learnerWithCertificate();
      await subgraph.db.database
        .forTenant(fixture.tenant.id)
        .run((tx) => tx.course.update({ where: { id: course.id }, data: { passingScore: 60, impactDimensions: [] } }));
      expect((await subgraph.request(REQUEST, { variables: { certificateId: certificate.id }, ...as(fixture, 'LEARNER') })).body).toEqual({
        data: null,
        errors: [
          {
            message: 'The course does not meet the Solarpunk compliance rules for CONOCER certification',
            path: ['requestConocerCertification'],
            extensions: {
              code: 'BAD_USER_INPUT',
              issues: [
                { field: 'impact-declared', message: 'The course must declare at least one Solarpunk impact dimension.' },
                { field: 'assessment-present', message: 'The final assessment must require at least 70 to pass (it requires 60).' },
              ],
            },
          },
        ],
      });

      const revoked = await learnerWithCertificate();
      await subgraph.db.database.forTenant(revoked.fixture.tenant.id).run((tx) =>
        tx.certificate.update({
          where: { id: revoked.certificate.id },
          data: { status: 'REVOKED', revokedAt: new Date(), revocationReason: 'Plagio' },
        }),
      );
      expect(
        (await subgraph.request(REQUEST, { variables: { certificateId: revoked.certificate.id }, ...as(revoked.fixture, 'LEARNER') })).body,
      ).toEqual({
        data: null,
        errors: [
          {
            message: 'A revoked certificate cannot go to CONOCER',
            path: ['requestConocerCertification'],
            extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'certificateId', message: 'certificate is revoked' }] },
          },
        ],
      });
      for (const tenant of [fixture, revoked.fixture])
        expect(await subgraph.db.database.forTenant(tenant.tenant.id).run((tx) => tx.conocerSubmission.count())).toBe(0);
    });

    it("is the certificate's learner's alone: other personas, another learner, the anonymous are refused; unknown and other tenants' certificates are not found", async () => {
      const { fixture, certificate } = await learnerWithCertificate();
      const ask = (options: Omit<Parameters<RunningSubgraph['request']>[1], 'variables'>, certificateId = certificate.id) =>
        subgraph.request(REQUEST, { variables: { certificateId }, ...options }).then((response) => response.body);
      const refused = (message: string, code: string) => ({
        data: null,
        errors: [{ message, path: ['requestConocerCertification'], extensions: { code } }],
      });
      for (const persona of ['INSTRUCTOR', 'EVALUATOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'] as const) {
        expect({ persona, body: await ask(as(fixture, persona)) }).toEqual({ persona, body: refused('Not allowed', 'FORBIDDEN') });
      }
      const another = await subgraph.db.database.forTenant(fixture.tenant.id).run((tx) =>
        tx.user.create({
          data: {
            tenantId: fixture.tenant.id,
            email: `otra-${uniqueId()}@example.test`,
            name: 'Otra aprendiz',
            passwordHash: 'x',
            persona: 'LEARNER',
          },
        }),
      );
      expect(await ask({ tenant: fixture.tenant, viewer: another })).toEqual(
        refused("Only the certificate's learner may request this", 'FORBIDDEN'),
      );
      expect(await ask({ tenant: fixture.tenant })).toEqual(refused('Authentication required', 'UNAUTHENTICATED'));
      expect(await ask(as(fixture, 'LEARNER'), uniqueId())).toEqual(refused('Certificate not found', 'NOT_FOUND'));
      expect(await ask(as(fixture, 'LEARNER'), 'not-a-uuid')).toEqual(refused('Certificate not found', 'NOT_FOUND'));
      const elsewhere = await createTenant(subgraph.db.database);
      expect(await ask(as(elsewhere, 'LEARNER'))).toEqual(refused('Certificate not found', 'NOT_FOUND'));
      expect(await subgraph.db.database.forTenant(fixture.tenant.id).run((tx) => tx.conocerSubmission.count())).toBe(0);
    });
  });

  describe('retryConocerSubmission', () => {
    const RETRY = 'mutation ($id: ID!) { retryConocerSubmission(id: $id) { id status attempts history { status reason } } }';

    it('makes a FAILED submission PENDING again, with its history, outbox events and audit row', async () => {
      const fixture = await createTenant(subgraph.db.database);
      const { submission, certificate } = await submissionIn(subgraph.db.database, fixture, 'FAILED', {
        failureReason: 'CONOCER no respondió',
        attempts: 8,
      });
      const response = await subgraph.request(RETRY, { variables: { id: submission.id }, ...as(fixture, 'TENANT_ADMIN') });
      expect(response.body).toEqual({
        data: {
          retryConocerSubmission: {
            id: submission.id,
            status: 'PENDING',
            attempts: 0,
            history: [
              { status: 'FAILED', reason: 'CONOCER no respondió' },
              { status: 'PENDING', reason: 'Retried by TENANT_ADMIN' },
            ],
          },
        },
      });
      const db = subgraph.db.database.forTenant(fixture.tenant.id);
      const [stored, change, audit] = await db.run(
        async (tx) =>
          [
            await tx.conocerSubmission.findUniqueOrThrow({
              where: { id: submission.id },
              select: { status: true, failureReason: true, attempts: true },
            }),
            await tx.conocerStatusChange.findFirstOrThrow({ where: { submissionId: submission.id, status: 'PENDING' } }),
            await tx.auditLog.findMany({
              where: { targetId: submission.id },
              select: { actorId: true, actorPersona: true, action: true, targetType: true },
            }),
          ] as const,
      );
      expect(stored).toEqual({ status: 'PENDING', failureReason: null, attempts: 0 });
      expect(await outboxOf(fixture, submission.id)).toEqual([
        {
          type: 'conocer.status.changed',
          aggregateType: 'ConocerSubmission',
          payload: {
            tenantId: fixture.tenant.id,
            changeId: change.id,
            submissionId: submission.id,
            certificateId: certificate.id,
            learnerId: fixture.users.LEARNER.id,
            status: 'PENDING',
            previousStatus: 'FAILED',
          },
        },
        { type: 'conocer.submission.requested', aggregateType: 'ConocerSubmission', payload: { submissionId: submission.id, retry: true } },
      ]);
      expect(audit).toEqual([
        {
          actorId: fixture.users.TENANT_ADMIN.id,
          actorPersona: 'TENANT_ADMIN',
          action: 'conocer.submission.retry',
          targetType: 'ConocerSubmission',
        },
      ]);

      // Now PENDING: a second retry is a conflict.
      expect((await subgraph.request(RETRY, { variables: { id: submission.id }, ...as(fixture, 'TENANT_ADMIN') })).body).toEqual({
        data: null,
        errors: [
          {
            message: 'Only FAILED submissions are retried (this one is PENDING)',
            path: ['retryConocerSubmission'],
            extensions: { code: 'CONFLICT' },
          },
        ],
      });
    });

    it('answers CONFLICT for a submission in any other status, and changes nothing', async () => {
      const fixture = await createTenant(subgraph.db.database);
      for (const status of ['PENDING', 'SUBMITTED', 'IN_REVIEW', 'APPROVED', 'REJECTED'] as ConocerStatus[]) {
        const { submission } = await submissionIn(subgraph.db.database, fixture, status);
        expect({
          status,
          body: (await subgraph.request(RETRY, { variables: { id: submission.id }, ...as(fixture, 'TENANT_ADMIN') })).body,
        }).toEqual({
          status,
          body: {
            data: null,
            errors: [
              {
                message: `Only FAILED submissions are retried (this one is ${status})`,
                path: ['retryConocerSubmission'],
                extensions: { code: 'CONFLICT' },
              },
            ],
          },
        });
        expect(await outboxOf(fixture, submission.id)).toEqual([]);
      }
    });

    it("lets a platform admin of another tenant retry; refuses other personas and the anonymous; knows no other tenant's submission", async () => {
      const fixture = await createTenant(subgraph.db.database);
      const elsewhere = await createTenant(subgraph.db.database);
      const { submission } = await submissionIn(subgraph.db.database, fixture, 'FAILED', { failureReason: 'timeout' });
      const ask = (options: Omit<Parameters<RunningSubgraph['request']>[1], 'variables'>, id = submission.id) =>
        subgraph.request(RETRY, { variables: { id }, ...options }).then((response) => response.body);
      const refused = (message: string, code: string) => ({
        data: null,
        errors: [{ message, path: ['retryConocerSubmission'], extensions: { code } }],
      });
      for (const persona of ['LEARNER', 'INSTRUCTOR', 'EVALUATOR'] as const) {
        expect({ persona, body: await ask(as(fixture, persona)) }).toEqual({ persona, body: refused('Not allowed', 'FORBIDDEN') });
      }
      expect(await ask({ tenant: fixture.tenant })).toEqual(refused('Authentication required', 'UNAUTHENTICATED'));
      expect(await ask(as(fixture, 'TENANT_ADMIN'), uniqueId())).toEqual(refused('Submission not found', 'NOT_FOUND'));
      expect(await ask(as(elsewhere, 'TENANT_ADMIN'))).toEqual(refused('Submission not found', 'NOT_FOUND'));
      expect(await outboxOf(fixture, submission.id)).toEqual([]);

      expect(await ask({ tenant: fixture.tenant, viewer: elsewhere.users.PLATFORM_ADMIN })).toEqual({
        data: {
          retryConocerSubmission: {
            id: submission.id,
            status: 'PENDING',
            attempts: 0,
            history: [
              { status: 'FAILED', reason: 'timeout' },
              { status: 'PENDING', reason: 'Retried by PLATFORM_ADMIN' },
            ],
          },
        },
      });
    });
  });

  describe('syncCompetencyStandards', () => {
    const SYNC = 'mutation { syncCompetencyStandards { standardsCount pendingSubmissions failedSubmissions circuit } }';

    it('is for platform admins: it asks the workers for a sync (none run here) and answers how delivery stands', async () => {
      const fixture = await createTenant(subgraph.db.database);
      const response = await subgraph.request(SYNC, as(fixture, 'PLATFORM_ADMIN'));
      expect(response.body).toEqual({
        data: {
          syncCompetencyStandards: {
            standardsCount: await subgraph.db.database.prisma.competencyStandard.count({ where: { active: true } }),
            pendingSubmissions: 0,
            failedSubmissions: 0,
            circuit: 'CLOSED',
          },
        },
      });
      for (const persona of ['LEARNER', 'INSTRUCTOR', 'EVALUATOR', 'TENANT_ADMIN'] as const) {
        expect({ persona, body: (await subgraph.request(SYNC, as(fixture, persona))).body }).toEqual({
          persona,
          body: { data: null, errors: [{ message: 'Not allowed', path: ['syncCompetencyStandards'], extensions: { code: 'FORBIDDEN' } }] },
        });
      }
      expect((await subgraph.request(SYNC, { tenant: fixture.tenant })).body).toEqual({
        data: null,
        errors: [{ message: 'Authentication required', path: ['syncCompetencyStandards'], extensions: { code: 'UNAUTHENTICATED' } }],
      });
    });
  });
});
