import { randomBytes } from 'node:crypto';
import { scoredEvent } from '@academy/impact-scoring';
import type { Persona } from '@academy/platform';
import { createTenant, startSupergraph, TEST_PASSWORD, type RunningSupergraph, type TestTenant } from '@academy/testing';

type Caller = Persona | 'ANONYMOUS';
const CALLERS: Caller[] = ['LEARNER', 'INSTRUCTOR', 'EVALUATOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN', 'ANONYMOUS'];

/**
 * Who may call each mutation, as the contract's comments say (PLATFORM_ADMIN may do what a
 * TENANT_ADMIN may). Ownership: publishCourse is its instructor's, completeLesson and
 * requestConocerCertification the enrolled learner's, submitFinalAssessment (grading a course
 * without an assessment) its course's instructor's and staff's, never the learner's.
 */
const ALLOWED: Record<string, Caller[]> = {
  signUp: CALLERS,
  login: CALLERS,
  setUserPersona: ['TENANT_ADMIN', 'PLATFORM_ADMIN'],
  createCourse: ['INSTRUCTOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'],
  publishCourse: ['INSTRUCTOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'],
  enroll: ['LEARNER'],
  completeLesson: ['LEARNER'],
  submitFinalAssessment: ['INSTRUCTOR', 'EVALUATOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'],
  revokeCertificate: ['TENANT_ADMIN', 'PLATFORM_ADMIN'],
  requestConocerCertification: ['LEARNER'],
  retryConocerSubmission: ['TENANT_ADMIN', 'PLATFORM_ADMIN'],
  syncCompetencyStandards: ['PLATFORM_ADMIN'],
  recordImpactEvent: ['LEARNER', 'INSTRUCTOR', 'EVALUATOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'],
  verifyImpactEvent: ['EVALUATOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'],
};

describe('persona matrix: every mutation of the contract, every persona', () => {
  let supergraph: RunningSupergraph;
  let fixture: TestTenant;
  const tokens = {} as Record<Persona, string>;

  beforeAll(async () => {
    supergraph = await startSupergraph();
    fixture = await createTenant(supergraph.db.database);
    for (const persona of Object.keys(fixture.users) as Persona[]) {
      tokens[persona] = await supergraph.login(fixture.users[persona].email, TEST_PASSWORD, fixture.tenant.slug);
    }
    await supergraph.db.database
      .forTenant(fixture.tenant.id)
      .run((tx) => tx.user.update({ where: { id: fixture.users.LEARNER.id }, data: { curp: 'HEGG560427MVZRRL04' } }));
  });
  afterAll(() => supergraph?.close());

  const db = () => supergraph.db.database.forTenant(fixture.tenant.id);
  const tenantId = () => fixture.tenant.id;

  /** A course (its instructor the fixture's INSTRUCTOR), one module, two lessons. */
  async function course(status: 'DRAFT' | 'PUBLISHED' = 'PUBLISHED') {
    return db().run(async (tx) => {
      const created = await tx.course.create({
        data: {
          tenantId: tenantId(),
          slug: `c-${randomBytes(4).toString('hex')}`,
          title: 'Calentadores solares',
          description: 'd',
          status,
          instructorId: fixture.users.INSTRUCTOR.id,
          priceCents: 0,
          competencyStandardCode: 'EC0325',
          passingScore: 80,
          impactDimensions: ['SUSTAINABILITY'],
        },
      });
      const module = await tx.courseModule.create({ data: { tenantId: tenantId(), courseId: created.id, title: 'M', position: 1 } });
      const lessons = await Promise.all(
        [1, 2].map((position) =>
          tx.lesson.create({
            data: { tenantId: tenantId(), courseId: created.id, moduleId: module.id, title: `L${position}`, position, durationMinutes: 45 },
          }),
        ),
      );
      return { ...created, lessons };
    });
  }

  async function enrollment() {
    const c = await course();
    const created = await db().run((tx) =>
      tx.enrollment.create({ data: { tenantId: tenantId(), courseId: c.id, learnerId: fixture.users.LEARNER.id } }),
    );
    return { ...created, course: c };
  }

  async function certificate() {
    const e = await enrollment();
    return db().run(async (tx) => {
      await tx.enrollment.update({ where: { id: e.id }, data: { status: 'COMPLETED', finalScore: 95, completedAt: new Date() } });
      return tx.certificate.create({
        data: {
          tenantId: tenantId(),
          learnerId: e.learnerId,
          courseId: e.courseId,
          enrollmentId: e.id,
          verificationCode: randomBytes(5).toString('hex'),
          credential: {},
        },
      });
    });
  }

  /** The call each mutation is tried with: fresh state, so an allowed call succeeds. */
  const calls: Record<string, () => Promise<{ query: string; variables?: Record<string, unknown> }>> = {
    signUp: async () => ({
      query: 'mutation($input: SignUpInput!) { signUp(input: $input) { user { persona } } }',
      variables: {
        input: { email: `new-${randomBytes(4).toString('hex')}@x.test`, password: 'a long enough password', name: 'Nueva Persona' },
      },
    }),
    login: async () => ({
      query: 'mutation($email: String!) { login(email: $email, password: "correct-horse-battery") { user { id } } }',
      variables: { email: fixture.users.EVALUATOR.email },
    }),
    setUserPersona: async () => {
      const target = await db().run((tx) =>
        tx.user.create({
          data: {
            tenantId: tenantId(),
            email: `${randomBytes(4).toString('hex')}@x.test`,
            name: 'Alguien',
            passwordHash: 'x',
            persona: 'LEARNER',
          },
        }),
      );
      return { query: 'mutation($id: ID!) { setUserPersona(userId: $id, persona: INSTRUCTOR) { persona } }', variables: { id: target.id } };
    },
    createCourse: async () => ({
      query: 'mutation($input: CreateCourseInput!) { createCourse(input: $input) { status } }',
      variables: {
        input: {
          title: 'Huertos',
          description: 'd',
          priceCents: 0,
          modules: [{ title: 'M', lessons: [{ title: 'L', durationMinutes: 30 }] }],
        },
      },
    }),
    publishCourse: async () => ({
      query: 'mutation($id: ID!) { publishCourse(id: $id) { status } }',
      variables: { id: (await course('DRAFT')).id },
    }),
    enroll: async () => ({ query: 'mutation($id: ID!) { enroll(courseId: $id) { status } }', variables: { id: (await course()).id } }),
    completeLesson: async () => {
      const e = await enrollment();
      return {
        query: 'mutation($id: ID!, $lesson: ID!) { completeLesson(enrollmentId: $id, lessonId: $lesson) { progressPercent } }',
        variables: { id: e.id, lesson: e.course.lessons[0]!.id },
      };
    },
    submitFinalAssessment: async () => ({
      query: 'mutation($id: ID!) { submitFinalAssessment(enrollmentId: $id, score: 90) { finalScore } }',
      variables: { id: (await enrollment()).id },
    }),
    revokeCertificate: async () => ({
      query: 'mutation($id: ID!) { revokeCertificate(id: $id, reason: "Plagio") { status } }',
      variables: { id: (await certificate()).id },
    }),
    requestConocerCertification: async () => ({
      query: 'mutation($id: ID!) { requestConocerCertification(certificateId: $id) { status } }',
      variables: { id: (await certificate()).id },
    }),
    retryConocerSubmission: async () => {
      const cert = await certificate();
      const submission = await db().run((tx) =>
        tx.conocerSubmission.create({
          data: {
            tenantId: tenantId(),
            certificateId: cert.id,
            standardCode: 'EC0325',
            requestedById: cert.learnerId,
            status: 'FAILED',
            failureReason: 'timeout',
          },
        }),
      );
      return { query: 'mutation($id: ID!) { retryConocerSubmission(id: $id) { status } }', variables: { id: submission.id } };
    },
    syncCompetencyStandards: async () => ({ query: 'mutation { syncCompetencyStandards { standardsCount } }' }),
    recordImpactEvent: async () => ({
      query: 'mutation($input: RecordImpactEventInput!) { recordImpactEvent(input: $input) { verification } }',
      variables: { input: { type: 'SKILL_SHARING', description: 'Taller de composta', quantities: { hours: 2 } } },
    }),
    verifyImpactEvent: async () => {
      const event = await db().run((tx) =>
        tx.impactEvent.create({
          data: {
            tenantId: tenantId(),
            userId: fixture.users.LEARNER.id,
            type: 'COMMUNITY_PROJECT',
            description: 'Limpieza',
            occurredAt: new Date(),
            ...scoredEvent({ type: 'COMMUNITY_PROJECT', verification: 'SELF_REPORTED' }),
          },
        }),
      );
      return {
        query: 'mutation($id: ID!) { verifyImpactEvent(id: $id, level: PEER_VERIFIED) { verification } }',
        variables: { id: event.id },
      };
    },
  };

  it('covers every mutation of the composed API', async () => {
    const response = await supergraph.request<{ __type: { fields: { name: string }[] } }>(
      '{ __type(name: "Mutation") { fields { name } } }',
      { tenant: 'demo' },
    );
    const contract = [
      'signUp',
      'login',
      'setUserPersona',
      'createCourse',
      'publishCourse',
      'enroll',
      'completeLesson',
      'submitFinalAssessment',
      'revokeCertificate',
      'requestConocerCertification',
      'retryConocerSubmission',
      'syncCompetencyStandards',
      'recordImpactEvent',
      'verifyImpactEvent',
    ];
    expect(Object.keys(ALLOWED).sort()).toEqual([...contract].sort());
    for (const name of contract) expect(response.body.data!.__type.fields.map((field) => field.name)).toContain(name);
  });

  const matrix = Object.keys(ALLOWED).flatMap((mutation) =>
    CALLERS.map((caller) => [mutation, caller, ALLOWED[mutation]!.includes(caller)] as const),
  );

  it.each(matrix)('%s by %s: allowed %s', async (mutation, caller, allowed) => {
    const { query, variables } = await calls[mutation]!();
    const response = await supergraph.request(query, {
      tenant: fixture.tenant.slug,
      ...(variables ? { variables } : {}),
      ...(caller === 'ANONYMOUS' ? {} : { token: tokens[caller] }),
    });
    if (allowed) {
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data?.[mutation]).toBeTruthy();
    } else {
      const code = caller === 'ANONYMOUS' ? 'UNAUTHENTICATED' : 'FORBIDDEN';
      expect(response.body).toEqual({ data: null, errors: [{ message: expect.any(String), path: [mutation], extensions: { code } }] });
    }
  });

  it('keeps ownership: an instructor publishes only their own course, a learner works only their own enrollment', async () => {
    const other = await db().run((tx) =>
      tx.user.create({
        data: {
          tenantId: tenantId(),
          email: `${randomBytes(4).toString('hex')}@x.test`,
          name: 'Otra',
          passwordHash: fixture.users.LEARNER.passwordHash,
          persona: 'INSTRUCTOR',
        },
      }),
    );
    const otherToken = await supergraph.login(other.email, TEST_PASSWORD, fixture.tenant.slug);
    const draft = await course('DRAFT');
    const publish = await supergraph.request('mutation($id: ID!) { publishCourse(id: $id) { status } }', {
      tenant: fixture.tenant.slug,
      token: otherToken,
      variables: { id: draft.id },
    });
    expect(publish.body).toEqual({
      data: null,
      errors: [{ message: 'Only its instructor or an admin may do this', path: ['publishCourse'], extensions: { code: 'FORBIDDEN' } }],
    });

    const learner2 = await db().run((tx) =>
      tx.user.create({
        data: {
          tenantId: tenantId(),
          email: `${randomBytes(4).toString('hex')}@x.test`,
          name: 'Otro',
          passwordHash: fixture.users.LEARNER.passwordHash,
          persona: 'LEARNER',
        },
      }),
    );
    const learner2Token = await supergraph.login(learner2.email, TEST_PASSWORD, fixture.tenant.slug);
    const e = await enrollment();
    const complete = await supergraph.request(
      'mutation($id: ID!, $lesson: ID!) { completeLesson(enrollmentId: $id, lessonId: $lesson) { id } }',
      {
        tenant: fixture.tenant.slug,
        token: learner2Token,
        variables: { id: e.id, lesson: e.course.lessons[0]!.id },
      },
    );
    expect(complete.body).toEqual({
      data: null,
      errors: [{ message: 'Only the enrolled learner may do this', path: ['completeLesson'], extensions: { code: 'FORBIDDEN' } }],
    });
    const cert = await certificate();
    const request = await supergraph.request('mutation($id: ID!) { requestConocerCertification(certificateId: $id) { id } }', {
      tenant: fixture.tenant.slug,
      token: learner2Token,
      variables: { id: cert.id },
    });
    expect(request.body).toEqual({
      data: null,
      errors: [
        {
          message: "Only the certificate's learner may request this",
          path: ['requestConocerCertification'],
          extensions: { code: 'FORBIDDEN' },
        },
      ],
    });
  });

  it('keeps grading out of the learner: only the course instructor, an evaluator or an admin sets the final score', async () => {
    const GRADE = 'mutation($id: ID!, $score: Int!) { submitFinalAssessment(enrollmentId: $id, score: $score) { status finalScore } }';
    const grade = (token: string, id: string, score: number) =>
      supergraph.request(GRADE, { tenant: fixture.tenant.slug, token, variables: { id, score } });
    const notAllowed = {
      data: null,
      errors: [{ message: 'Not allowed', path: ['submitFinalAssessment'], extensions: { code: 'FORBIDDEN' } }],
    };
    const e = await enrollment();
    const state = () =>
      db().run(async (tx) => ({
        enrollment: await tx.enrollment.findUniqueOrThrow({ where: { id: e.id }, select: { status: true, finalScore: true } }),
        certificates: await tx.certificate.count({ where: { enrollmentId: e.id } }),
      }));

    // The learner finishes every lesson, then cannot complete the course by grading themselves.
    for (const lesson of e.course.lessons) {
      const done = await supergraph.request(
        'mutation($id: ID!, $lesson: ID!) { completeLesson(enrollmentId: $id, lessonId: $lesson) { status } }',
        { tenant: fixture.tenant.slug, token: tokens.LEARNER, variables: { id: e.id, lesson: lesson.id } },
      );
      expect(done.body).toEqual({ data: { completeLesson: { status: 'ACTIVE' } } });
    }
    expect((await grade(tokens.LEARNER, e.id, 100)).body).toEqual(notAllowed);
    expect(await state()).toEqual({ enrollment: { status: 'ACTIVE', finalScore: null }, certificates: 0 });

    // An instructor of another course of the tenant may not grade it either.
    const otherInstructor = await db().run((tx) =>
      tx.user.create({
        data: {
          tenantId: tenantId(),
          email: `${randomBytes(4).toString('hex')}@x.test`,
          name: 'Otro Instructor',
          passwordHash: fixture.users.LEARNER.passwordHash,
          persona: 'INSTRUCTOR',
        },
      }),
    );
    const otherToken = await supergraph.login(otherInstructor.email, TEST_PASSWORD, fixture.tenant.slug);
    expect((await grade(otherToken, e.id, 100)).body).toEqual(notAllowed);
    expect(await state()).toEqual({ enrollment: { status: 'ACTIVE', finalScore: null }, certificates: 0 });

    // An evaluator's failing grade is recorded; the course's instructor's passing grade completes it.
    expect((await grade(tokens.EVALUATOR, e.id, 60)).body).toEqual({
      data: { submitFinalAssessment: { status: 'ACTIVE', finalScore: 60 } },
    });
    expect((await grade(tokens.INSTRUCTOR, e.id, 90)).body).toEqual({
      data: { submitFinalAssessment: { status: 'COMPLETED', finalScore: 90 } },
    });
    expect(await state()).toEqual({ enrollment: { status: 'COMPLETED', finalScore: 90 }, certificates: 1 });
    const graded = await supergraph.db.database.asPlatform(
      { actorId: 'system:test', action: 'test.read', reason: 'who graded the enrollment' },
      (tx) =>
        tx.auditLog.findMany({
          where: { action: 'enrollment.graded', targetId: e.id },
          orderBy: { id: 'asc' },
          select: { tenantId: true, actorId: true, actorPersona: true, metadata: true },
        }),
    );
    expect(graded).toEqual([
      { tenantId: tenantId(), actorId: fixture.users.EVALUATOR.id, actorPersona: 'EVALUATOR', metadata: { finalScore: 60 } },
      { tenantId: tenantId(), actorId: fixture.users.INSTRUCTOR.id, actorPersona: 'INSTRUCTOR', metadata: { finalScore: 90 } },
    ]);
  });

  it('lets only a platform admin grant PLATFORM_ADMIN', async () => {
    const query = 'mutation($id: ID!) { setUserPersona(userId: $id, persona: PLATFORM_ADMIN) { persona } }';
    const variables = { id: fixture.users.EVALUATOR.id };
    const byTenantAdmin = await supergraph.request(query, { tenant: fixture.tenant.slug, token: tokens.TENANT_ADMIN, variables });
    expect(byTenantAdmin.body).toEqual({
      data: null,
      errors: [
        { message: 'Only a platform admin grants or removes PLATFORM_ADMIN', path: ['setUserPersona'], extensions: { code: 'FORBIDDEN' } },
      ],
    });
    const byPlatformAdmin = await supergraph.request(query, { tenant: fixture.tenant.slug, token: tokens.PLATFORM_ADMIN, variables });
    expect(byPlatformAdmin.body).toEqual({ data: { setUserPersona: { persona: 'PLATFORM_ADMIN' } } });
  });
});
