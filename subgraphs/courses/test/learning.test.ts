import { randomBytes, randomUUID } from 'node:crypto';
import { VERIFICATION_CODE_PATTERN, verifyCredentialJwt } from '@academy/credentials';
import { certificateIssued } from '@academy/events';
import type { User } from '@academy/platform';
import {
  createCompliantCourse,
  createTenant,
  createTenantWithEveryKindOfRow,
  startSubgraph,
  TEST_BASE_DOMAIN,
  testEnvironment,
  type RunningSubgraph,
  type TestTenant,
} from '@academy/testing';
import { jwksOf, loadRsaSigningKey, loadSigningKey } from '@academy/tokens';
import { CredentialSigner } from '@academy/credentials';
import { contextFactory } from '../src/context';

type CompliantCourse = Awaited<ReturnType<typeof createCompliantCourse>>;

/** Learning at the courses subgraph: enrolling, completing lessons, the final assessment, and the certificate completion issues. */
describe('courses subgraph: learning', () => {
  let subgraph: RunningSubgraph;
  let fixture: TestTenant;
  let other: TestTenant;
  /** Published, passing score 70, three lessons, EC0217.01. */
  let course: CompliantCourse;
  let otherCourse: { id: string; lessonId: string; enrollmentId: string };
  beforeAll(async () => {
    subgraph = await startSubgraph('courses');
    [fixture, other] = await Promise.all([createTenant(subgraph.db.database), createTenantWithEveryKindOfRow(subgraph.db.database)]);
    course = await createCompliantCourse(subgraph.db.database, fixture);
    otherCourse = await subgraph.db.database.forTenant(other.tenant.id).run(async (tx) => {
      const enrollment = await tx.enrollment.findFirstOrThrow();
      return { id: enrollment.courseId, enrollmentId: enrollment.id, lessonId: (await tx.lesson.findFirstOrThrow()).id };
    });
  });
  afterAll(() => subgraph?.close());

  const forbidden = (path: string, message = 'Not allowed') => ({
    data: null,
    errors: [{ message, path: [path], extensions: { code: 'FORBIDDEN' } }],
  });
  const unauthenticated = (path: string) => ({
    data: null,
    errors: [{ message: 'Authentication required', path: [path], extensions: { code: 'UNAUTHENTICATED' } }],
  });
  const notFound = (what: string, path: string) => ({
    data: null,
    errors: [{ message: `${what} not found`, path: [path], extensions: { code: 'NOT_FOUND' } }],
  });
  const conflict = (message: string, path: string) => ({
    data: null,
    errors: [{ message, path: [path], extensions: { code: 'CONFLICT' } }],
  });

  const ENROLLMENT =
    'id status progressPercent completedLessonIds finalScore conocerRequested enrolledAt completedAt learner { id } course { id enrollmentCount }';
  const ENROLL = `mutation ($courseId: ID!, $conocer: Boolean) { enroll(courseId: $courseId, requestConocerCertification: $conocer) { ${ENROLLMENT} } }`;
  const COMPLETE_LESSON = `mutation ($enrollmentId: ID!, $lessonId: ID!) { completeLesson(enrollmentId: $enrollmentId, lessonId: $lessonId) { ${ENROLLMENT} } }`;
  const SUBMIT = `mutation ($enrollmentId: ID!, $score: Int!) { submitFinalAssessment(enrollmentId: $enrollmentId, score: $score) { ${ENROLLMENT} } }`;
  type EnrollmentBody = { id: string; completedAt: string | null; enrolledAt: string };

  /** Another learner of a tenant (one enrollment per learner and course). */
  function addLearner(tenant: TestTenant = fixture): Promise<User> {
    return subgraph.db.database.forTenant(tenant.tenant.id).run((tx) =>
      tx.user.create({
        data: {
          tenantId: tenant.tenant.id,
          email: `learner-${randomBytes(4).toString('hex')}@${tenant.tenant.slug}.test`,
          name: 'Otra Aprendiz',
          passwordHash: 'x',
          persona: 'LEARNER',
        },
      }),
    );
  }

  function enroll(learner: User, courseId = course.id, tenant = fixture) {
    return subgraph.request<{ enroll: EnrollmentBody }>(ENROLL, { variables: { courseId }, tenant: tenant.tenant, viewer: learner });
  }

  /** A learner enrolled (through the mutation) in the course: returns the enrollment id. */
  async function enrolled(learner: User, courseId = course.id, tenant = fixture): Promise<string> {
    return (await enroll(learner, courseId, tenant)).body.data!.enroll.id;
  }

  const completeLesson = (learner: User | null, enrollmentId: string, lessonId: string, tenant = fixture) =>
    subgraph.request<{ completeLesson: EnrollmentBody }>(COMPLETE_LESSON, {
      variables: { enrollmentId, lessonId },
      tenant: tenant.tenant,
      viewer: learner,
    });
  /** A grade (submitFinalAssessment) by `grader`: the course's instructor, an evaluator or an admin may. */
  const submit = (grader: User | null, enrollmentId: string, score: number, tenant = fixture) =>
    subgraph.request<{ submitFinalAssessment: EnrollmentBody }>(SUBMIT, {
      variables: { enrollmentId, score },
      tenant: tenant.tenant,
      viewer: grader,
    });

  /** What the ENROLLMENT selection answers. */
  const enrollmentBody = (fields: {
    id: string;
    learner: User;
    status?: string;
    progressPercent?: number;
    completedLessonIds?: string[];
    finalScore?: number | null;
    conocerRequested?: boolean;
    completedAt?: unknown;
    enrollmentCount: number;
    courseId: string;
  }) => ({
    id: fields.id,
    status: fields.status ?? 'ACTIVE',
    progressPercent: fields.progressPercent ?? 0,
    completedLessonIds: fields.completedLessonIds ?? [],
    finalScore: fields.finalScore ?? null,
    conocerRequested: fields.conocerRequested ?? false,
    enrolledAt: expect.any(String),
    completedAt: fields.completedAt ?? null,
    learner: { id: fields.learner.id },
    course: { id: fields.courseId, enrollmentCount: fields.enrollmentCount },
  });

  /** The certificates and certificate.issued events of a tenant. */
  function issued(tenant: TestTenant) {
    return subgraph.db.database.forTenant(tenant.tenant.id).run(async (tx) => ({
      certificates: await tx.certificate.findMany({
        select: {
          id: true,
          learnerId: true,
          courseId: true,
          enrollmentId: true,
          status: true,
          verificationCode: true,
          issuedAt: true,
          statusListIndex: true,
          credential: true,
        },
      }),
      events: await tx.outboxEvent.findMany({
        where: { type: certificateIssued.type },
        select: { type: true, aggregateType: true, aggregateId: true, payload: true },
      }),
    }));
  }

  /** A tenant of its own with a compliant course: what completion writes is this test's alone. */
  async function freshCourse() {
    const tenant = await createTenant(subgraph.db.database);
    return { tenant, course: await createCompliantCourse(subgraph.db.database, tenant) };
  }

  describe('enroll', () => {
    it('enrolls a learner in a published course, asking for CONOCER certification or not, once: CONFLICT the second time', async () => {
      const own = await createCompliantCourse(subgraph.db.database, fixture);
      const learner = await addLearner();
      const first = await subgraph.request<{ enroll: EnrollmentBody }>(ENROLL, {
        variables: { courseId: own.id, conocer: true },
        tenant: fixture.tenant,
        viewer: learner,
      });
      const id = first.body.data?.enroll.id ?? 'none';
      expect(first.body).toEqual({
        data: { enroll: enrollmentBody({ id, learner, courseId: own.id, conocerRequested: true, enrollmentCount: 1 }) },
      });
      expect(
        await subgraph.db.database.forTenant(fixture.tenant.id).run((tx) =>
          tx.enrollment.findUniqueOrThrow({
            where: { id },
            select: { tenantId: true, courseId: true, learnerId: true, status: true, conocerRequested: true },
          }),
        ),
      ).toEqual({
        tenantId: fixture.tenant.id,
        courseId: own.id,
        learnerId: learner.id,
        status: 'ACTIVE',
        conocerRequested: true,
      });
      expect((await enroll(learner, own.id)).body).toEqual(conflict('Already enrolled in this course', 'enroll'));

      const another = await addLearner();
      const second = await enroll(another, own.id);
      expect(second.body).toEqual({
        data: {
          enroll: enrollmentBody({
            id: second.body.data?.enroll.id ?? 'none',
            learner: another,
            courseId: own.id,
            conocerRequested: false,
            enrollmentCount: 2,
          }),
        },
      });
    });

    it('refuses to enroll asking for CONOCER certification in a course that cannot lead to it, naming every unmet rule', async () => {
      const tenantId = fixture.tenant.id;
      const plain = await subgraph.db.database.forTenant(tenantId).run(async (tx) => {
        const created = await tx.course.create({
          data: {
            tenantId,
            slug: `sin-estandar-${randomBytes(4).toString('hex')}`,
            title: 'Taller sin estándar',
            description: 'Un taller corto',
            status: 'PUBLISHED',
            publishedAt: new Date(),
            instructorId: fixture.users.INSTRUCTOR.id,
            priceCents: 0,
            passingScore: 50,
          },
        });
        const module = await tx.courseModule.create({ data: { tenantId, courseId: created.id, title: 'Único', position: 1 } });
        await tx.lesson.create({
          data: { tenantId, courseId: created.id, moduleId: module.id, title: 'Lección', position: 1, durationMinutes: 20 },
        });
        return created;
      });
      const learner = await addLearner();
      const refused = await subgraph.request(ENROLL, {
        variables: { courseId: plain.id, conocer: true },
        tenant: fixture.tenant,
        viewer: learner,
      });
      expect(refused.body).toEqual({
        data: null,
        errors: [
          {
            message: 'The course does not meet the Solarpunk compliance rules for CONOCER certification',
            path: ['enroll'],
            extensions: {
              code: 'BAD_USER_INPUT',
              issues: [
                {
                  field: 'standard-aligned',
                  message: 'The course must prepare for a CONOCER competency standard (competencyStandardCode).',
                },
                { field: 'impact-declared', message: 'The course must declare at least one Solarpunk impact dimension.' },
                { field: 'assessment-present', message: 'The final assessment must require at least 70 to pass (it requires 50).' },
                { field: 'content-sufficient', message: 'The lessons must add up to at least 60 minutes (they add up to 20).' },
              ],
            },
          },
        ],
      });
      // Nothing was written; without CONOCER the same learner enrolls.
      expect(await subgraph.db.database.forTenant(tenantId).run((tx) => tx.enrollment.count({ where: { courseId: plain.id } }))).toBe(0);
      const plainEnrollment = await enroll(learner, plain.id);
      expect(plainEnrollment.body.data?.enroll).toMatchObject({ conocerRequested: false, status: 'ACTIVE' });
    });

    it('refuses a course that is not published (BAD_USER_INPUT) and one the tenant does not have (NOT_FOUND)', async () => {
      const learner = await addLearner();
      const draft = await subgraph.db.database.forTenant(fixture.tenant.id).run((tx) =>
        tx.course.create({
          data: {
            tenantId: fixture.tenant.id,
            slug: `borrador-${randomBytes(3).toString('hex')}`,
            title: 'Borrador',
            description: 'Aún no',
            priceCents: 0,
            instructorId: fixture.users.INSTRUCTOR.id,
          },
        }),
      );
      expect((await enroll(learner, draft.id)).body).toEqual({
        data: null,
        errors: [
          {
            message: 'Only published courses take enrollments',
            path: ['enroll'],
            extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'courseId', message: 'course is not published' }] },
          },
        ],
      });
      for (const courseId of [otherCourse.id, randomUUID(), 'not-an-id']) {
        expect({ courseId, body: (await enroll(learner, courseId)).body }).toEqual({ courseId, body: notFound('Course', 'enroll') });
      }
      expect(
        await subgraph.db.database.forTenant(fixture.tenant.id).run((tx) => tx.enrollment.count({ where: { learnerId: learner.id } })),
      ).toBe(0);
    });

    it('is for learners', async () => {
      for (const persona of ['INSTRUCTOR', 'EVALUATOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'] as const) {
        expect({ persona, body: (await enroll(fixture.users[persona])).body }).toEqual({ persona, body: forbidden('enroll') });
      }
      expect((await subgraph.request(ENROLL, { variables: { courseId: course.id }, tenant: fixture.tenant })).body).toEqual(
        unauthenticated('enroll'),
      );
    });
  });

  describe('completeLesson', () => {
    it('records a lesson of the course once, with the progress', async () => {
      const own = await createCompliantCourse(subgraph.db.database, fixture);
      const learner = await addLearner();
      const id = await enrolled(learner, own.id);
      const [first, second] = own.lessons.map((lesson) => lesson.id);
      const progress = (completedLessonIds: string[], progressPercent: number) => ({
        data: {
          completeLesson: enrollmentBody({ id, learner, courseId: own.id, completedLessonIds, progressPercent, enrollmentCount: 1 }),
        },
      });
      expect((await completeLesson(learner, id, first!)).body).toEqual(progress([first!], 33.33));
      expect((await completeLesson(learner, id, first!)).body).toEqual(progress([first!], 33.33));
      expect((await completeLesson(learner, id, second!)).body).toEqual(progress([first!, second!], 66.67));
      expect(
        await subgraph.db.database.forTenant(fixture.tenant.id).run((tx) => tx.lessonCompletion.count({ where: { enrollmentId: id } })),
      ).toBe(2);
    });

    it('refuses a lesson of another course (BAD_USER_INPUT), an unknown or foreign lesson (NOT_FOUND), and a completed or cancelled enrollment (CONFLICT)', async () => {
      const learner = await addLearner();
      const id = await enrolled(learner);
      const elsewhere = await createCompliantCourse(subgraph.db.database, fixture, { title: 'Otro curso' });
      expect((await completeLesson(learner, id, elsewhere.lessons[0]!.id)).body).toEqual({
        data: null,
        errors: [
          {
            message: 'The lesson is not part of this course',
            path: ['completeLesson'],
            extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'lessonId', message: 'not a lesson of the course' }] },
          },
        ],
      });
      for (const lessonId of [otherCourse.lessonId, randomUUID(), 'not-an-id']) {
        expect({ lessonId, body: (await completeLesson(learner, id, lessonId)).body }).toEqual({
          lessonId,
          body: notFound('Lesson', 'completeLesson'),
        });
      }
      expect(
        await subgraph.db.database.forTenant(fixture.tenant.id).run((tx) => tx.lessonCompletion.count({ where: { enrollmentId: id } })),
      ).toBe(0);

      const setStatus = (status: 'COMPLETED' | 'CANCELLED') =>
        subgraph.db.database.forTenant(fixture.tenant.id).run((tx) => tx.enrollment.update({ where: { id }, data: { status } }));
      await setStatus('CANCELLED');
      expect((await completeLesson(learner, id, course.lessons[0]!.id)).body).toEqual(
        conflict('The enrollment was cancelled', 'completeLesson'),
      );
      await setStatus('COMPLETED');
      expect((await completeLesson(learner, id, course.lessons[0]!.id)).body).toEqual(
        conflict('The course is already completed', 'completeLesson'),
      );
      expect(
        await subgraph.db.database.forTenant(fixture.tenant.id).run((tx) => tx.lessonCompletion.count({ where: { enrollmentId: id } })),
      ).toBe(0);
    });
  });

  describe('submitFinalAssessment and completion', () => {
    it('a passing score after every lesson completes the course: the enrollment, a signed certificate and certificate.issued in the outbox', async () => {
      const own = await freshCourse();
      const learner = await addLearner(own.tenant);
      const id = await enrolled(learner, own.course.id, own.tenant);
      const lessonIds = own.course.lessons.map((lesson) => lesson.id);
      for (const lessonId of lessonIds) await completeLesson(learner, id, lessonId, own.tenant);
      expect(await issued(own.tenant)).toEqual({ certificates: [], events: [] });

      const response = await submit(own.tenant.users.INSTRUCTOR, id, 85, own.tenant);
      expect(response.body).toEqual({
        data: {
          submitFinalAssessment: enrollmentBody({
            id,
            learner,
            courseId: own.course.id,
            status: 'COMPLETED',
            progressPercent: 100,
            completedLessonIds: lessonIds,
            finalScore: 85,
            completedAt: expect.any(String),
            enrollmentCount: 1,
          }),
        },
      });
      const completedAt = response.body.data!.submitFinalAssessment.completedAt!;

      const { certificates, events } = await issued(own.tenant);
      const certificateId = certificates[0]?.id ?? 'none';
      const host = `${own.tenant.tenant.slug}.${TEST_BASE_DOMAIN}`;
      const issuer = `did:web:${host}`;
      const standard = await subgraph.db.database.prisma.competencyStandard.findUniqueOrThrow({ where: { code: 'EC0217.01' } });
      const credential = {
        '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
        id: `urn:uuid:${certificateId}`,
        type: ['VerifiableCredential', 'OpenBadgeCredential'],
        issuer: { id: issuer, type: ['Profile'], name: own.tenant.tenant.name },
        validFrom: completedAt,
        name: own.course.title,
        credentialSubject: {
          id: `urn:uuid:${learner.id}`,
          type: ['AchievementSubject'],
          identifier: [{ type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: learner.name }],
          achievement: {
            id: `https://${host}/courses/${own.course.slug}`,
            type: ['Achievement'],
            achievementType: 'Course',
            name: own.course.title,
            description: own.course.description,
            criteria: { narrative: 'Completar todas las lecciones y obtener al menos 70 en la evaluación final.' },
            alignment: [
              {
                type: ['Alignment'],
                targetName: standard.title,
                targetCode: 'EC0217.01',
                targetFramework: 'RENEC (CONOCER)',
                targetType: 'ext:CompetencyStandard',
                targetUrl: `https://conocer.gob.mx/RENEC/fichaEstandar.do?method=obtenerPDFEstandar&idEstandarCompetencia=${standard.renecId ?? ''}`,
              },
            ],
          },
        },
        // The tenant's first certificate: index 0, bit 0 of its list 1.
        credentialStatus: {
          id: `https://${host}/credentials/status/1#0`,
          type: 'BitstringStatusListEntry',
          statusPurpose: 'revocation',
          statusListIndex: '0',
          statusListCredential: `https://${host}/credentials/status/1`,
        },
      };
      expect(certificates).toEqual([
        {
          id: expect.any(String),
          learnerId: learner.id,
          courseId: own.course.id,
          enrollmentId: id,
          status: 'ISSUED',
          verificationCode: expect.stringMatching(VERIFICATION_CODE_PATTERN),
          issuedAt: new Date(completedAt),
          statusListIndex: 0,
          credential: {
            format: 'vc+jwt',
            jwt: expect.any(String),
            proofs: [
              { alg: 'EdDSA', jwt: expect.any(String) },
              { alg: 'RS256', jwt: expect.any(String) },
            ],
            credential,
          },
        },
      ]);
      // Each JWT is signed with its credential key and carries the same credential; `jwt` is the EdDSA one.
      const environment = testEnvironment();
      const jwks = jwksOf([
        await loadSigningKey(environment.TEST_CREDENTIAL_SIGNING_KEY),
        await loadRsaSigningKey(environment.TEST_CREDENTIAL_RSA_SIGNING_KEY),
      ]);
      const signed = certificates[0]!.credential as { jwt: string; proofs: { jwt: string }[] };
      expect(signed.jwt).toBe(signed.proofs[0]!.jwt);
      for (const { jwt } of signed.proofs) expect(await verifyCredentialJwt(jwt, jwks)).toEqual(credential);
      expect(events).toEqual([
        {
          type: 'certificate.issued',
          aggregateType: 'Certificate',
          aggregateId: certificateId,
          payload: {
            certificateId,
            enrollmentId: id,
            courseId: own.course.id,
            learnerId: learner.id,
            competencyStandardCode: 'EC0217.01',
            issuedAt: completedAt,
          },
        },
      ]);

      // Completed: nothing more to grade.
      expect((await submit(own.tenant.users.EVALUATOR, id, 100, own.tenant)).body).toEqual(
        conflict('The course is already completed', 'submitFinalAssessment'),
      );
      expect(await issued(own.tenant)).toEqual({ certificates, events });
    });

    it('completing the last lesson after a passing score completes the course too', async () => {
      const own = await freshCourse();
      const learner = await addLearner(own.tenant);
      const id = await enrolled(learner, own.course.id, own.tenant);
      const [first, second, third] = own.course.lessons.map((lesson) => lesson.id) as [string, string, string];
      await completeLesson(learner, id, first, own.tenant);
      expect((await submit(own.tenant.users.EVALUATOR, id, 90, own.tenant)).body).toEqual({
        data: {
          submitFinalAssessment: enrollmentBody({
            id,
            learner,
            courseId: own.course.id,
            completedLessonIds: [first],
            progressPercent: 33.33,
            finalScore: 90,
            enrollmentCount: 1,
          }),
        },
      });
      await completeLesson(learner, id, second, own.tenant);
      expect(await issued(own.tenant)).toEqual({ certificates: [], events: [] });
      const last = await completeLesson(learner, id, third, own.tenant);
      expect(last.body).toEqual({
        data: {
          completeLesson: enrollmentBody({
            id,
            learner,
            courseId: own.course.id,
            status: 'COMPLETED',
            completedLessonIds: [first, second, third],
            progressPercent: 100,
            finalScore: 90,
            completedAt: expect.any(String),
            enrollmentCount: 1,
          }),
        },
      });
      const { certificates, events } = await issued(own.tenant);
      expect(certificates).toMatchObject([
        { learnerId: learner.id, enrollmentId: id, issuedAt: new Date(last.body.data!.completeLesson.completedAt!) },
      ]);
      expect(events).toEqual([
        {
          type: 'certificate.issued',
          aggregateType: 'Certificate',
          aggregateId: certificates[0]!.id,
          payload: expect.objectContaining({ enrollmentId: id, learnerId: learner.id }),
        },
      ]);
    });

    it('the last two lessons completed at the same moment complete the course, once', async () => {
      const own = await freshCourse();
      const [first, second, third] = own.course.lessons.map((lesson) => lesson.id) as [string, string, string];
      const learners = await Promise.all([1, 2, 3, 4, 5].map(() => addLearner(own.tenant)));
      const ids = await Promise.all(learners.map((learner) => enrolled(learner, own.course.id, own.tenant)));
      for (const [index, id] of ids.entries()) {
        await completeLesson(learners[index]!, id, first, own.tenant);
        await submit(own.tenant.users.EVALUATOR, id, 90, own.tenant);
      }
      // Each learner's two last lessons at once: whichever answers last has seen both.
      const answers = await Promise.all(
        ids.map((id, index) =>
          Promise.all([second, third].map((lesson) => completeLesson(learners[index]!, id, lesson, own.tenant))).then((both) =>
            both.map((answer) => answer.body.data?.completeLesson),
          ),
        ),
      );
      expect(answers.map((both) => both.map((enrollment) => enrollment && 'ok'))).toEqual(ids.map(() => ['ok', 'ok']));
      const states = await subgraph.db.database
        .forTenant(own.tenant.tenant.id)
        .run((tx) => tx.enrollment.findMany({ where: { id: { in: ids } }, select: { id: true, status: true } }));
      expect(states.map((state) => state.status)).toEqual(ids.map(() => 'COMPLETED'));
      const { certificates, events } = await issued(own.tenant);
      expect(certificates.map((certificate) => certificate.enrollmentId).sort()).toEqual([...ids].sort());
      expect(events).toHaveLength(ids.length);
    });

    it('a score below the passing score keeps the enrollment ACTIVE, without a certificate; it may be graded again (the passing score itself passes)', async () => {
      const own = await freshCourse();
      const learner = await addLearner(own.tenant);
      const id = await enrolled(learner, own.course.id, own.tenant);
      const lessonIds = own.course.lessons.map((lesson) => lesson.id);
      for (const lessonId of lessonIds) await completeLesson(learner, id, lessonId, own.tenant);
      expect((await submit(own.tenant.users.INSTRUCTOR, id, 69, own.tenant)).body).toEqual({
        data: {
          submitFinalAssessment: enrollmentBody({
            id,
            learner,
            courseId: own.course.id,
            completedLessonIds: lessonIds,
            progressPercent: 100,
            finalScore: 69,
            enrollmentCount: 1,
          }),
        },
      });
      expect(await issued(own.tenant)).toEqual({ certificates: [], events: [] });
      expect((await submit(own.tenant.users.TENANT_ADMIN, id, 70, own.tenant)).body).toEqual({
        data: {
          submitFinalAssessment: enrollmentBody({
            id,
            learner,
            courseId: own.course.id,
            status: 'COMPLETED',
            completedLessonIds: lessonIds,
            progressPercent: 100,
            finalScore: 70,
            completedAt: expect.any(String),
            enrollmentCount: 1,
          }),
        },
      });
      expect((await issued(own.tenant)).events).toHaveLength(1);
    });

    it('refuses a score outside 0..100 and a cancelled enrollment', async () => {
      const learner = await addLearner();
      const id = await enrolled(learner);
      const invalid = {
        data: null,
        errors: [
          {
            message: 'The score must be 0 to 100',
            path: ['submitFinalAssessment'],
            extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'score', message: 'must be 0..100' }] },
          },
        ],
      };
      expect((await submit(fixture.users.INSTRUCTOR, id, 101)).body).toEqual(invalid);
      expect((await submit(fixture.users.INSTRUCTOR, id, -1)).body).toEqual(invalid);
      await subgraph.db.database
        .forTenant(fixture.tenant.id)
        .run((tx) => tx.enrollment.update({ where: { id }, data: { status: 'CANCELLED' } }));
      expect((await submit(fixture.users.INSTRUCTOR, id, 90)).body).toEqual(
        conflict('The enrollment was cancelled', 'submitFinalAssessment'),
      );
      expect(
        await subgraph.db.database
          .forTenant(fixture.tenant.id)
          .run((tx) => tx.enrollment.findUniqueOrThrow({ where: { id }, select: { finalScore: true } })),
      ).toEqual({ finalScore: null });
    });
  });

  it("keeps a completion out of the request's answer when the unit of work around it rolls back", async () => {
    const environment = testEnvironment();
    const credentials = await CredentialSigner.load(environment.TEST_CREDENTIAL_SIGNING_KEY, environment.TEST_CREDENTIAL_RSA_SIGNING_KEY);
    const db = subgraph.db.database.forTenant(fixture.tenant.id);
    const learner = await db.run((tx) =>
      tx.user.create({
        data: {
          tenantId: fixture.tenant.id,
          email: `rollback.${randomBytes(3).toString('hex')}@x.test`,
          name: 'R',
          passwordHash: 'x',
          persona: 'LEARNER',
        },
      }),
    );
    const enrollment = await db.run((tx) =>
      tx.enrollment.create({ data: { tenantId: fixture.tenant.id, courseId: course.id, learnerId: learner.id } }),
    );
    const request = () =>
      contextFactory({ database: subgraph.db.database, credentials, baseDomain: TEST_BASE_DOMAIN })({
        tenant: fixture.tenant,
        viewer: { userId: learner.id, tenantId: fixture.tenant.id, persona: 'LEARNER' },
      });
    // Inside another unit of work that then fails: nothing committed, nothing kept for the answer.
    const rolledBack = request();
    await expect(
      db.run(async () => {
        await rolledBack.learning.completeLesson(enrollment, course.lessons[0]!.id);
        throw new Error('the enclosing unit fails');
      }),
    ).rejects.toThrow('the enclosing unit fails');
    expect(await rolledBack.loaders.completedLessonIds.load(enrollment.id)).toEqual([]);
    // On its own it commits, and the answer's loaders have what it left.
    const committed = request();
    const done = await committed.learning.completeLesson(enrollment, course.lessons[0]!.id);
    expect(done.lastActivityAt).not.toBeNull();
    expect(await committed.loaders.completedLessonIds.load(enrollment.id)).toEqual([course.lessons[0]!.id]);
    // Inside another unit of work that commits: what the request's loaders had of it before is
    // forgotten, and read again (not the stale list).
    const nested = request();
    expect(await nested.loaders.completedLessonIds.load(enrollment.id)).toEqual([course.lessons[0]!.id]);
    await db.run(() => nested.learning.completeLesson(enrollment, course.lessons[1]!.id));
    expect(await nested.loaders.completedLessonIds.load(enrollment.id)).toEqual([course.lessons[0]!.id, course.lessons[1]!.id]);
  });

  it('completeLesson is for the enrolled learner only: FORBIDDEN to others, NOT_FOUND for unknown and foreign enrollments', async () => {
    const learner = await addLearner();
    const id = await enrolled(learner);
    const lessonId = course.lessons[0]!.id;
    const stranger = await addLearner();
    const name = 'completeLesson';
    const ask = (viewer: User | null, enrollmentId: string) => completeLesson(viewer, enrollmentId, lessonId);
    expect((await ask(stranger, id)).body).toEqual(forbidden(name, 'Only the enrolled learner may do this'));
    for (const persona of ['INSTRUCTOR', 'EVALUATOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'] as const) {
      expect({ persona, body: (await ask(fixture.users[persona], id)).body }).toEqual({ persona, body: forbidden(name) });
    }
    expect((await ask(null, id)).body).toEqual(unauthenticated(name));
    for (const enrollmentId of [otherCourse.enrollmentId, randomUUID(), 'not-an-id']) {
      expect({ enrollmentId, body: (await ask(learner, enrollmentId)).body }).toEqual({ enrollmentId, body: notFound('Enrollment', name) });
    }
    expect(
      await subgraph.db.database
        .forTenant(fixture.tenant.id)
        .run((tx) => tx.enrollment.findUniqueOrThrow({ where: { id }, select: { _count: { select: { lessonCompletions: true } } } })),
    ).toEqual({ _count: { lessonCompletions: 0 } });
  });

  it("submitFinalAssessment is the grader's: the course's instructor, evaluators and admins; FORBIDDEN to learners (the enrolled one too) and other instructors, NOT_FOUND for unknown and foreign enrollments", async () => {
    const learner = await addLearner();
    const id = await enrolled(learner);
    const name = 'submitFinalAssessment';
    const finalScore = () =>
      subgraph.db.database
        .forTenant(fixture.tenant.id)
        .run((tx) => tx.enrollment.findUniqueOrThrow({ where: { id }, select: { status: true, finalScore: true } }));

    // The enrolled learner, with every lesson done, cannot complete the course by grading themselves.
    for (const lesson of course.lessons) await completeLesson(learner, id, lesson.id);
    expect((await submit(learner, id, 100)).body).toEqual(forbidden(name));
    expect((await submit(await addLearner(), id, 100)).body).toEqual(forbidden(name));
    const otherInstructor = await subgraph.db.database.forTenant(fixture.tenant.id).run((tx) =>
      tx.user.create({
        data: {
          tenantId: fixture.tenant.id,
          email: `instructor-${randomBytes(4).toString('hex')}@${fixture.tenant.slug}.test`,
          name: 'Otro Instructor',
          passwordHash: 'x',
          persona: 'INSTRUCTOR',
        },
      }),
    );
    expect((await submit(otherInstructor, id, 100)).body).toEqual(forbidden(name));
    expect((await submit(null, id, 100)).body).toEqual(unauthenticated(name));
    expect(await finalScore()).toEqual({ status: 'ACTIVE', finalScore: null });

    // Unknown and foreign enrollments: NOT_FOUND to a grader, FORBIDDEN to a learner all the same.
    for (const enrollmentId of [otherCourse.enrollmentId, randomUUID(), 'not-an-id']) {
      expect({ enrollmentId, body: (await submit(fixture.users.EVALUATOR, enrollmentId, 90)).body }).toEqual({
        enrollmentId,
        body: notFound('Enrollment', name),
      });
      expect({ enrollmentId, body: (await submit(learner, enrollmentId, 90)).body }).toEqual({ enrollmentId, body: forbidden(name) });
    }

    // Failing grades by each grader are recorded (and audited); none completes the course.
    const graders = ['INSTRUCTOR', 'EVALUATOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'] as const;
    for (const [i, persona] of graders.entries()) {
      const response = await submit(fixture.users[persona], id, 10 + i);
      expect({ persona, body: response.body }).toEqual({
        persona,
        body: {
          data: {
            submitFinalAssessment: enrollmentBody({
              id,
              learner,
              courseId: course.id,
              completedLessonIds: course.lessons.map((lesson) => lesson.id),
              progressPercent: 100,
              finalScore: 10 + i,
              enrollmentCount: expect.any(Number),
            }),
          },
        },
      });
    }
    expect(await finalScore()).toEqual({ status: 'ACTIVE', finalScore: 13 });
    expect(
      await subgraph.db.database.asPlatform({ actorId: 'system:test', action: 'test.read', reason: 'who graded' }, (tx) =>
        tx.auditLog.findMany({
          where: { action: 'enrollment.graded', targetId: id },
          orderBy: { id: 'asc' },
          select: { tenantId: true, actorId: true, actorPersona: true, targetType: true, metadata: true },
        }),
      ),
    ).toEqual(
      graders.map((persona, i) => ({
        tenantId: fixture.tenant.id,
        actorId: fixture.users[persona].id,
        actorPersona: persona,
        targetType: 'Enrollment',
        metadata: { finalScore: 10 + i },
      })),
    );
  });
});
