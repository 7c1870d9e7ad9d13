import { randomBytes } from 'node:crypto';
import { verifyCredentialJwt, VERIFICATION_CODE_PATTERN } from '@academy/credentials';
import { createTenant, httpRequest, startSupergraph, TEST_PASSWORD, until, type RunningSupergraph } from '@academy/testing';

describe('the learner journey, through the gateway', () => {
  let supergraph: RunningSupergraph;
  beforeAll(async () => {
    supergraph = await startSupergraph();
  });
  afterAll(() => supergraph?.close());

  it('signs up, pays for a course and enrolls, completes every lesson, is graded passing, receives a signed certificate and verifies it by code', async () => {
    const tenant = 'cooperativa-sol';
    const email = `lupita.${randomBytes(3).toString('hex')}@correo.mx`;

    // Sign up: joins the tenant of the request as LEARNER.
    const signUp = await supergraph.request<{
      signUp: { token: string; user: { name: string; email: string; persona: string; tenant: { slug: string } } };
    }>('mutation($input: SignUpInput!) { signUp(input: $input) { token expiresAt user { name email persona tenant { slug } } } }', {
      tenant,
      variables: { input: { email, password: 'semillas-nativas-2026', name: 'Guadalupe Martínez' } },
    });
    expect(signUp.body.errors).toBeUndefined();
    expect(signUp.body.data!.signUp.user).toEqual({ name: 'Guadalupe Martínez', email, persona: 'LEARNER', tenant: { slug: tenant } });
    const token = signUp.body.data!.signUp.token;

    // A published course of the catalogue.
    const catalogue = await supergraph.request<{
      course: { id: string; title: string; passingScore: number; modules: { lessons: { id: string }[] }[] };
    }>('query { course(slug: "calentador-solar-vivienda") { id title passingScore modules { lessons { id } } } }', { tenant, token });
    const course = catalogue.body.data!.course;
    const lessons = course.modules.flatMap((module) => module.lessons.map((lesson) => lesson.id));
    expect(lessons).toHaveLength(9);

    // A paid course (450 MXN): enrolling asks for payment; the learner pays by card on the provider's page.
    const ENROLL = 'mutation($id: ID!) { enroll(courseId: $id) { id status progressPercent course { title } } }';
    const unpaid = await supergraph.request(ENROLL, { tenant, token, variables: { id: course.id } });
    expect(unpaid.body).toEqual({
      data: null,
      errors: [{ message: 'This course is paid: check out first', path: ['enroll'], extensions: { code: 'PAYMENT_REQUIRED' } }],
    });
    const checkout = await supergraph.request<{ checkout: { id: string; status: string; totalCents: number; checkoutUrl: string } }>(
      'mutation($id: ID!) { checkout(courseId: $id) { id status totalCents checkoutUrl } }',
      { tenant, token, variables: { id: course.id } },
    );
    expect(checkout.body.data!.checkout).toMatchObject({ status: 'PENDING', totalCents: 45_000 });
    const paying = await httpRequest(checkout.body.data!.checkout.checkoutUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: 'outcome=succeeded',
    });
    expect(paying.status).toBe(200);
    const paid = await until(
      async () =>
        (
          await supergraph.request<{ order: { status: string } }>('query($id: ID!) { order(id: $id) { status } }', {
            tenant,
            token,
            variables: { id: checkout.body.data!.checkout.id },
          })
        ).body.data?.order.status,
      (status) => status === 'PAID',
      { timeoutMs: 10_000 },
    );
    expect(paid).toBe('PAID');

    /** SELECT statements sent since the last reset that read `table`. */
    const reads = (table: string) =>
      supergraph.statements.texts.filter((text) => new RegExp(`^\\s*SELECT[\\s\\S]*\\b${table}\\b`).test(text)).length;

    // Paid, the learner enrolls (the workers would enroll them too: whichever comes first).
    supergraph.statements.reset();
    const enroll = await supergraph.request<{ enroll: { id: string; status: string; progressPercent: number } }>(ENROLL, {
      tenant,
      token,
      variables: { id: course.id },
    });
    expect(enroll.body).toEqual({
      data: {
        enroll: {
          id: expect.any(String),
          status: 'ACTIVE',
          progressPercent: 0,
          course: { title: 'Calentadores solares de agua para vivienda' },
        },
      },
    });
    const enrollmentId = enroll.body.data!.enroll.id;
    // The answer is the enrollment as it was made: the course it read once, no completions asked for.
    expect({ courses: reads('courses'), completions: reads('lesson_completions') }).toEqual({ courses: 1, completions: 0 });

    const again = await supergraph.request('mutation($id: ID!) { enroll(courseId: $id) { id } }', {
      tenant,
      token,
      variables: { id: course.id },
    });
    expect(again.body).toEqual({
      data: null,
      errors: [{ message: 'Already enrolled in this course', path: ['enroll'], extensions: { code: 'CONFLICT' } }],
    });

    // The course has no assessment: its instructor or an evaluator grades it, never the learner.
    const evaluator = await supergraph.login(`evaluator@${tenant}.academy.mx`, 'academy-demo-2026', tenant);
    const instructorEmail = await supergraph.db.database.asPlatform(
      { actorId: 'system:test', action: 'test.read', reason: 'find the course instructor' },
      async (tx) =>
        (await tx.course.findUniqueOrThrow({ where: { id: course.id }, select: { instructor: { select: { email: true } } } })).instructor
          .email,
    );
    const instructor = await supergraph.login(instructorEmail, 'academy-demo-2026', tenant);
    const notAllowed = {
      data: null,
      errors: [{ message: 'Not allowed', path: ['submitFinalAssessment'], extensions: { code: 'FORBIDDEN' } }],
    };

    // A failing score first (an evaluator's): recorded, not completed.
    const failing = await supergraph.request(
      'mutation($id: ID!) { submitFinalAssessment(enrollmentId: $id, score: 60) { status finalScore } }',
      { tenant, token: evaluator, variables: { id: enrollmentId } },
    );
    expect(failing.body).toEqual({ data: { submitFinalAssessment: { status: 'ACTIVE', finalScore: 60 } } });

    const progress: number[] = [];
    for (const [i, lessonId] of lessons.entries()) {
      supergraph.statements.reset();
      const done = await supergraph.request<{ completeLesson: { progressPercent: number } }>(
        'mutation($id: ID!, $lesson: ID!) { completeLesson(enrollmentId: $id, lessonId: $lesson) { id status progressPercent completedLessonIds } }',
        { tenant, token, variables: { id: enrollmentId, lesson: lessonId } },
      );
      expect(done.body).toEqual({
        data: {
          completeLesson: {
            id: enrollmentId,
            status: 'ACTIVE',
            progressPercent: expect.any(Number),
            completedLessonIds: lessons.slice(0, i + 1),
          },
        },
      });
      progress.push(done.body.data!.completeLesson.progressPercent);
      // The answer is the progress as the change left it: the completions and the course's lessons
      // read once (inside the change), not again for the answer.
      expect({ completions: reads('lesson_completions'), lessons: reads('lessons') }).toEqual({ completions: 1, lessons: 1 });
    }
    expect(progress).toEqual([11.11, 22.22, 33.33, 44.44, 55.56, 66.67, 77.78, 88.89, 100]);

    // Every lesson done, the learner still cannot pass by grading themselves.
    const selfGraded = await supergraph.request(
      'mutation($id: ID!) { submitFinalAssessment(enrollmentId: $id, score: 100) { status finalScore } }',
      { tenant, token, variables: { id: enrollmentId } },
    );
    expect(selfGraded.body).toEqual(notAllowed);
    const stillActive = await supergraph.request<{ enrollment: { status: string; finalScore: number } }>(
      'query($id: ID!) { enrollment(id: $id) { status finalScore } }',
      { tenant, token, variables: { id: enrollmentId } },
    );
    expect(stillActive.body).toEqual({ data: { enrollment: { status: 'ACTIVE', finalScore: 60 } } });

    // The course's instructor's passing grade completes the course and issues the certificate in the same request.
    const passed = await supergraph.request<{ submitFinalAssessment: { status: string; finalScore: number; completedAt: string } }>(
      'mutation($id: ID!) { submitFinalAssessment(enrollmentId: $id, score: 92) { status finalScore completedAt } }',
      { tenant, token: instructor, variables: { id: enrollmentId } },
    );
    expect(passed.body).toEqual({
      data: { submitFinalAssessment: { status: 'COMPLETED', finalScore: 92, completedAt: expect.any(String) } },
    });

    const mine = await supergraph.request<{
      me: {
        certificates: {
          id: string;
          status: string;
          verificationCode: string;
          conocerStatus: string;
          course: { title: string };
          learner: { name: string };
          credential: { format: string; jwt: string };
        }[];
      };
    }>('{ me { certificates { id status verificationCode conocerStatus course { title } learner { name } credential } } }', {
      tenant,
      token,
    });
    const [certificate] = mine.body.data!.me.certificates;
    expect(mine.body.data!.me.certificates).toHaveLength(1);
    expect(certificate).toMatchObject({
      status: 'ISSUED',
      conocerStatus: 'NOT_REQUESTED',
      course: { title: 'Calentadores solares de agua para vivienda' },
      learner: { name: 'Guadalupe Martínez' },
      credential: { format: 'vc+jwt' },
    });
    expect(certificate!.verificationCode).toMatch(VERIFICATION_CODE_PATTERN);

    // The credential: an Open Badges 3.0 VC-JWT the gateway's published keys verify.
    const jwks = JSON.parse((await httpRequest(`${supergraph.origin}/.well-known/jwks.json`, {})).text);
    const credential = await verifyCredentialJwt(certificate!.credential.jwt, jwks);
    expect(credential).toMatchObject({
      id: `urn:uuid:${certificate!.id}`,
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: { id: 'did:web:cooperativa-sol.academy.test', type: ['Profile'], name: 'Cooperativa Sol y Tierra de Oaxaca' },
      credentialSubject: {
        type: ['AchievementSubject'],
        achievement: {
          type: ['Achievement'],
          name: 'Calentadores solares de agua para vivienda',
          alignment: [
            {
              type: ['Alignment'],
              targetCode: 'EC0325',
              targetName: 'Instalación de sistema de calentamiento solar de agua termosifónico en vivienda sustentable',
              targetFramework: 'RENEC (CONOCER)',
            },
          ],
        },
      },
    });
    const tampered = certificate!.credential.jwt.replace(/\.([^.]+)\./, (_m, payload: string) => `.${payload.slice(0, -2)}AA.`);
    await expect(verifyCredentialJwt(tampered, jwks)).rejects.toThrow();

    // Anyone holding the code verifies it, with no token, typed loosely.
    const verify = await supergraph.request(
      'query($code: String!) { verifyCertificate(code: $code) { valid status learnerName courseTitle tenantName competencyStandardCode conocerStatus issuedAt } }',
      {
        tenant: 'demo',
        variables: { code: certificate!.verificationCode.toLowerCase().replace('-', ' ') },
      },
    );
    expect(verify.body).toEqual({
      data: {
        verifyCertificate: {
          valid: true,
          status: 'ISSUED',
          learnerName: 'Guadalupe Martínez',
          courseTitle: 'Calentadores solares de agua para vivienda',
          tenantName: 'Cooperativa Sol y Tierra de Oaxaca',
          competencyStandardCode: 'EC0325',
          conocerStatus: 'NOT_REQUESTED',
          issuedAt: expect.any(String),
        },
      },
    });

    // A lesson after completion is a conflict, not a second certificate.
    const after = await supergraph.request(
      'mutation($id: ID!, $lesson: ID!) { completeLesson(enrollmentId: $id, lessonId: $lesson) { id } }',
      {
        tenant,
        token,
        variables: { id: enrollmentId, lesson: lessons[0] },
      },
    );
    expect(after.body).toEqual({
      data: null,
      errors: [{ message: 'The course is already completed', path: ['completeLesson'], extensions: { code: 'CONFLICT' } }],
    });
  });

  it('answers each change of a document as the changes before it left things', async () => {
    const { tenant, users } = await createTenant(supergraph.db.database);
    const { course, lessons } = await supergraph.db.database.forTenant(tenant.id).run(async (tx) => {
      const created = await tx.course.create({
        data: {
          tenantId: tenant.id,
          slug: `dos-lecciones-${randomBytes(3).toString('hex')}`,
          title: 'Dos lecciones',
          description: 'Para una prueba',
          status: 'PUBLISHED',
          instructorId: users.INSTRUCTOR.id,
          priceCents: 0,
        },
      });
      const module = await tx.courseModule.create({ data: { tenantId: tenant.id, courseId: created.id, title: 'Módulo', position: 1 } });
      const rows = [];
      for (const position of [1, 2])
        rows.push(
          await tx.lesson.create({
            data: {
              tenantId: tenant.id,
              courseId: created.id,
              moduleId: module.id,
              title: `Lección ${position}`,
              position,
              durationMinutes: 5,
            },
          }),
        );
      return { course: created, lessons: rows.map((row) => row.id) };
    });
    const token = await supergraph.login(users.LEARNER.email, TEST_PASSWORD, tenant.slug);
    const enrolled = await supergraph.request<{ enroll: { id: string } }>('mutation($id: ID!) { enroll(courseId: $id) { id } }', {
      tenant: tenant.slug,
      token,
      variables: { id: course.id },
    });
    const enrollmentId = enrolled.body.data!.enroll.id;
    // Graded passing already: completing the last lesson completes the course.
    await supergraph.db.database
      .forTenant(tenant.id)
      .run((tx) => tx.enrollment.update({ where: { id: enrollmentId }, data: { finalScore: 90 } }));
    // Both changes go to the courses subgraph in one request, one after the other: the second
    // answer's viewer enrollment and the learner's enrollments are the course completed by it.
    const seen =
      '{ status progressPercent course { enrollmentCount viewerEnrollment { status progressPercent completedLessonIds } } learner { enrollments { status progressPercent } } }';
    const both = await supergraph.request(
      `mutation($id: ID!, $first: ID!, $second: ID!) {
        first: completeLesson(enrollmentId: $id, lessonId: $first) ${seen}
        second: completeLesson(enrollmentId: $id, lessonId: $second) ${seen}
      }`,
      { tenant: tenant.slug, token, variables: { id: enrollmentId, first: lessons[0], second: lessons[1] } },
    );
    const answer = (status: string, completed: string[], percent: number) => ({
      status,
      progressPercent: percent,
      course: { enrollmentCount: 1, viewerEnrollment: { status, progressPercent: percent, completedLessonIds: completed } },
      learner: { enrollments: [{ status, progressPercent: percent }] },
    });
    expect(both.body).toEqual({
      data: { first: answer('ACTIVE', lessons.slice(0, 1), 50), second: answer('COMPLETED', lessons, 100) },
    });
  });

  it('verifies unknown and revoked codes as not valid', async () => {
    const unknown = await supergraph.request('{ verifyCertificate(code: "ZZZZZ-ZZZZZ") { valid status learnerName } }', { tenant: 'demo' });
    expect(unknown.body).toEqual({ data: { verifyCertificate: { valid: false, status: null, learnerName: null } } });
    const revokedCode = await supergraph.db.database.asPlatform(
      { actorId: 'system:test', action: 'test.read', reason: 'find a revoked certificate' },
      async (tx) => (await tx.certificate.findFirst({ where: { status: 'REVOKED', tenant: { slug: 'tec-norte' } } }))!.verificationCode,
    );
    const revoked = await supergraph.request('query($code: String!) { verifyCertificate(code: $code) { valid status tenantName } }', {
      tenant: 'demo',
      variables: { code: revokedCode },
    });
    expect(revoked.body).toEqual({ data: { verifyCertificate: { valid: false, status: 'REVOKED', tenantName: 'Tecnológico del Norte' } } });
  });

  it('refuses bad sign-ups and enrollments with clear codes', async () => {
    const weak = await supergraph.request('mutation { signUp(input: { email: "not-an-email", password: "short", name: "" }) { token } }', {
      tenant: 'demo',
    });
    expect(weak.body).toEqual({
      data: null,
      errors: [
        {
          message: 'Invalid sign-up',
          path: ['signUp'],
          extensions: {
            code: 'BAD_USER_INPUT',
            issues: [
              { field: 'email', message: 'must be an email address' },
              { field: 'password', message: 'must be at least 10 characters' },
              { field: 'name', message: 'must be 1 to 120 characters' },
            ],
          },
        },
      ],
    });
    const taken = await supergraph.request(
      'mutation { signUp(input: { email: "LEARNER@demo.academy.mx", password: "a long password", name: "X" }) { token } }',
      { tenant: 'demo' },
    );
    expect(taken.body).toEqual({
      data: null,
      errors: [{ message: 'An account with this email already exists', path: ['signUp'], extensions: { code: 'CONFLICT' } }],
    });

    const token = await supergraph.login('learner@demo.academy.mx', 'academy-demo-2026', 'demo');
    const draftId = await supergraph.db.database.asPlatform(
      { actorId: 'system:test', action: 'test.read', reason: 'find a draft' },
      async (tx) => (await tx.course.findFirst({ where: { status: 'DRAFT', tenant: { slug: 'demo' } } }))!.id,
    );
    const draft = await supergraph.request('mutation($id: ID!) { enroll(courseId: $id) { id } }', {
      tenant: 'demo',
      token,
      variables: { id: draftId },
    });
    expect(draft.body).toEqual({
      data: null,
      errors: [
        {
          message: 'Only published courses take enrollments',
          path: ['enroll'],
          extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'courseId', message: 'course is not published' }] },
        },
      ],
    });
  });
});
