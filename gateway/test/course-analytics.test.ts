import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { encodeCursor, type User } from '@academy/platform';
import { createTenant, startSupergraph, TEST_PASSWORD, type RunningSupergraph, type TestTenant } from '@academy/testing';

/** UTC+14 all year (no daylight saving): a local day runs from 10:00 UTC to 10:00 UTC. */
const ZONE = 'Pacific/Kiritimati';
const KIRITIMATI = 14 * 3_600_000;
/** America/Mexico_City, the default: UTC-6 all year since 2022. */
const MEXICO_CITY = -6 * 3_600_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** YYYY-MM-DD of an instant in a fixed-offset zone. */
const localDate = (at: Date, offset = KIRITIMATI) => new Date(at.getTime() + offset).toISOString().slice(0, 10);
/** The instant a local day (YYYY-MM-DD) starts in a fixed-offset zone. */
const localMidnight = (date: string, offset = KIRITIMATI) => new Date(Date.parse(`${date}T00:00:00Z`) - offset);
/** The local day `n` days before `date`. */
const daysBefore = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) - n * DAY).toISOString().slice(0, 10);

const FIGURES = `enrollmentCount activeCount completedCount completionRate averageProgressPercent averageScore passRate revenueCents
  rating { average count distribution } funnel { lesson { id title } completedCount }`;
const ANALYTICS = `query($id: ID!, $days: Int) { course(id: $id) { id analytics { ${FIGURES} enrollmentsByDay(days: $days) { date count } } } }`;
const LEARNERS = `query($id: ID!, $first: Int, $after: String, $status: EnrollmentStatus) { course(id: $id) {
  enrollments(first: $first, after: $after, status: $status) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id status progressPercent finalScore learner { id name } } }
  } } }`;
const TENANT = `query($period: ReportPeriod) { tenantAnalytics(period: $period) {
  period activeLearners newEnrollments completions certificatesIssued conocerApproved revenueCents currency topCourses { title } } }`;
const CREATE = `mutation($input: CreateCourseInput!) { createCourse(input: $input) { id modules { id lessons { id title } } } }`;
const COMPLETE = 'mutation($e: ID!, $l: ID!) { completeLesson(enrollmentId: $e, lessonId: $l) { id } }';
const GRADE = 'mutation($e: ID!, $s: Int!) { submitFinalAssessment(enrollmentId: $e, score: $s) { status } }';
const START = 'mutation($e: ID!) { startAssessmentAttempt(enrollmentId: $e) { id } }';
const SUBMIT = 'mutation($a: ID!, $answers: [AnswerInput!]!) { submitAssessmentAttempt(attemptId: $a, answers: $answers) { passed } }';

/** Rows as the database holds them, read as its owner (row-level security aside), for recomputing every figure. */
interface Raw {
  courses: { id: string; title: string; currency: string }[];
  modules: { id: string; position: number }[];
  lessons: { id: string; course_id: string; module_id: string; title: string; position: number }[];
  enrollments: {
    id: string;
    course_id: string;
    learner_id: string;
    status: string;
    final_score: number | null;
    enrolled_at: Date;
    completed_at: Date | null;
  }[];
  completions: { enrollment_id: string; lesson_id: string; completed_at: Date }[];
  attempts: { enrollment_id: string; status: string; passed: boolean | null; started_at: Date; submitted_at: Date | null }[];
  reviews: { course_id: string; rating: number }[];
  certificates: { status: string; issued_at: Date }[];
  approvals: { id: string; status: string; change: string; occurred_at: Date }[];
}

/** Half-up rounding of p/q (both whole, q > 0) to a whole number: PostgreSQL's round() of exact numerics. */
const roundedRatio = (p: number, q: number) => Math.floor((2 * p + q) / (2 * q));

/** A course's analytics recomputed in plain TypeScript from the raw rows (enrollments that count: not CANCELLED). */
function expectedCourseAnalytics(raw: Raw, courseId: string, days: number, offset: number, now: Date) {
  const positionOf = new Map(raw.modules.map((module) => [module.id, module.position]));
  const lessons = raw.lessons
    .filter((lesson) => lesson.course_id === courseId)
    .sort((a, b) => positionOf.get(a.module_id)! - positionOf.get(b.module_id)! || a.position - b.position);
  const counted = raw.enrollments.filter((enrollment) => enrollment.course_id === courseId && enrollment.status !== 'CANCELLED');
  const countedIds = new Set(counted.map((enrollment) => enrollment.id));
  const completions = raw.completions.filter((completion) => countedIds.has(completion.enrollment_id));
  // Enrollment.progressPercent in hundredths: COMPLETED 100, else completed lessons over the course's lessons.
  const hundredths = counted.map((enrollment) =>
    enrollment.status === 'COMPLETED'
      ? 10_000
      : lessons.length === 0
        ? 0
        : roundedRatio(completions.filter((c) => c.enrollment_id === enrollment.id).length * 10_000, lessons.length),
  );
  const scores = counted.flatMap((enrollment) => (enrollment.final_score === null ? [] : [enrollment.final_score]));
  const submitted = raw.attempts.filter((attempt) => countedIds.has(attempt.enrollment_id) && attempt.status === 'SUBMITTED');
  const stars = raw.reviews.filter((review) => review.course_id === courseId).map((review) => review.rating);
  const completed = counted.filter((enrollment) => enrollment.status === 'COMPLETED').length;
  const today = localDate(now, offset);
  return {
    enrollmentCount: counted.length,
    activeCount: counted.filter((enrollment) => enrollment.status === 'ACTIVE').length,
    completedCount: completed,
    completionRate: counted.length === 0 ? 0 : completed / counted.length,
    averageProgressPercent:
      counted.length === 0
        ? 0
        : roundedRatio(
            hundredths.reduce((sum, n) => sum + n, 0),
            hundredths.length,
          ) / 100,
    averageScore: scores.length === 0 ? null : roundedRatio(scores.reduce((sum, n) => sum + n, 0) * 100, scores.length) / 100,
    passRate: submitted.length === 0 ? null : submitted.filter((attempt) => attempt.passed).length / submitted.length,
    revenueCents: 0,
    rating: {
      average: stars.length === 0 ? null : roundedRatio(stars.reduce((sum, n) => sum + n, 0) * 100, stars.length) / 100,
      count: stars.length,
      distribution: [1, 2, 3, 4, 5].map((n) => stars.filter((star) => star === n).length),
    },
    funnel: lessons.map((lesson) => ({
      lesson: { id: lesson.id, title: lesson.title },
      completedCount: completions.filter((completion) => completion.lesson_id === lesson.id).length,
    })),
    enrollmentsByDay: Array.from({ length: days }, (_, i) => daysBefore(today, days - 1 - i)).map((date) => ({
      date,
      count: counted.filter((enrollment) => localDate(enrollment.enrolled_at, offset) === date).length,
    })),
  };
}

/** The tenant's figures over [from, to), recomputed from the raw rows. */
function expectedTenantAnalytics(raw: Raw, period: string, from: Date, to: Date) {
  const within = (at: Date | null) => at !== null && at >= from && at < to;
  const counted = raw.enrollments.filter((enrollment) => enrollment.status !== 'CANCELLED');
  const learnerOf = new Map(counted.map((enrollment) => [enrollment.id, enrollment.learner_id]));
  const active = new Set([
    ...raw.completions.filter((c) => learnerOf.has(c.enrollment_id) && within(c.completed_at)).map((c) => learnerOf.get(c.enrollment_id)),
    ...raw.attempts
      .filter((a) => learnerOf.has(a.enrollment_id) && (within(a.started_at) || within(a.submitted_at)))
      .map((a) => learnerOf.get(a.enrollment_id)),
  ]);
  const enrolledInPeriod = counted.filter((enrollment) => within(enrollment.enrolled_at));
  const top = raw.courses
    .map((course) => ({ title: course.title, count: enrolledInPeriod.filter((e) => e.course_id === course.id).length }))
    .filter((course) => course.count > 0)
    .sort((a, b) => b.count - a.count || (a.title < b.title ? -1 : 1))
    .slice(0, 5);
  const currencies = raw.courses.map((course) => course.currency);
  return {
    period,
    activeLearners: active.size,
    newEnrollments: enrolledInPeriod.length,
    completions: raw.enrollments.filter((enrollment) => enrollment.status === 'COMPLETED' && within(enrollment.completed_at)).length,
    certificatesIssued: raw.certificates.filter((certificate) => certificate.status === 'ISSUED' && within(certificate.issued_at)).length,
    conocerApproved: new Set(
      raw.approvals.filter((a) => a.status === 'APPROVED' && a.change === 'APPROVED' && within(a.occurred_at)).map((a) => a.id),
    ).size,
    revenueCents: 0,
    currency: currencies.sort((a, b) => currencies.filter((c) => c === b).length - currencies.filter((c) => c === a).length)[0] ?? 'MXN',
    topCourses: top.map((course) => ({ title: course.title })),
  };
}

/**
 * Instructor and tenant analytics through the gateway: two instructors' courses with learners at
 * various progress, final scores and graded attempts; each figure recomputed from the raw rows.
 */
describe('course and tenant analytics (through the gateway)', () => {
  let supergraph: RunningSupergraph;
  let fixture: TestTenant;
  let other: TestTenant;
  let instructorB: User;
  let learners: User[];
  /** Huertos urbanos (instructor A, graded by hand, its second module moved first), Compostaje en casa (A, an assessment), Energia solar comunitaria (B). */
  const ids = { huertos: '', compostaje: '', energia: '', borrador: '' };
  const tokens = new Map<string, Promise<string>>();

  /** A request as a user of a tenant, each signed in once through the real login. */
  const as = async <T = Record<string, unknown>>(user: User, query: string, variables: Record<string, unknown> = {}, tenant = fixture) => {
    if (!tokens.has(user.id)) tokens.set(user.id, supergraph.login(user.email, TEST_PASSWORD, tenant.tenant.slug));
    return (await supergraph.request<T>(query, { tenant: tenant.tenant.slug, token: await tokens.get(user.id)!, variables })).body;
  };

  const tenantDb = () => supergraph.db.database.forTenant(fixture.tenant.id);
  const owner = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: supergraph.db.ownerUrl });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  const raw = (tenantId = fixture.tenant.id): Promise<Raw> =>
    owner(async (client) => {
      const rows = async <T>(sql: string) => (await client.query(sql, [tenantId])).rows as T[];
      return {
        courses: await rows('SELECT id, title, currency FROM courses WHERE tenant_id = $1'),
        modules: await rows('SELECT id, position FROM course_modules WHERE tenant_id = $1'),
        lessons: await rows('SELECT id, course_id, module_id, title, position FROM lessons WHERE tenant_id = $1'),
        enrollments: await rows(
          'SELECT id, course_id, learner_id, status, final_score, enrolled_at, completed_at FROM enrollments WHERE tenant_id = $1',
        ),
        completions: await rows('SELECT enrollment_id, lesson_id, completed_at FROM lesson_completions WHERE tenant_id = $1'),
        attempts: await rows(
          'SELECT enrollment_id, status, passed, started_at, submitted_at FROM assessment_attempts WHERE tenant_id = $1',
        ),
        reviews: await rows('SELECT course_id, rating FROM course_reviews WHERE tenant_id = $1'),
        certificates: await rows('SELECT status, issued_at FROM certificates WHERE tenant_id = $1'),
        approvals: await rows(
          `SELECT s.id, s.status, h.status AS change, h.occurred_at FROM conocer_submissions s
           JOIN conocer_status_changes h ON h.submission_id = s.id WHERE s.tenant_id = $1`,
        ),
      };
    });

  const addUser = (persona: User['persona'], name: string) =>
    tenantDb().run((tx) =>
      tx.user.create({
        data: {
          tenantId: fixture.tenant.id,
          email: `${name.toLowerCase().replace(/\W+/g, '.')}@${fixture.tenant.slug}.test`,
          name,
          passwordHash: fixture.users.LEARNER.passwordHash,
          persona,
        },
      }),
    );

  const createCourse = async (instructor: User, title: string, modules: { title: string; lessons: string[] }[], passingScore = 80) => {
    const created = await as<{ createCourse: { id: string; modules: { id: string; lessons: { id: string; title: string }[] }[] } }>(
      instructor,
      CREATE,
      {
        input: {
          title,
          description: `Curso de ${title}`,
          priceCents: 0,
          passingScore,
          modules: modules.map((module) => ({
            title: module.title,
            lessons: module.lessons.map((lesson) => ({ title: lesson, durationMinutes: 20 })),
          })),
        },
      },
    );
    expect(created.errors).toBeUndefined();
    return created.data!.createCourse;
  };
  const publish = async (instructor: User, id: string) =>
    expect(await as(instructor, 'mutation($id: ID!) { publishCourse(id: $id) { status } }', { id })).toEqual({
      data: { publishCourse: { status: 'PUBLISHED' } },
    });
  const enroll = async (learner: User, courseId: string) =>
    (await as<{ enroll: { id: string } }>(learner, 'mutation($c: ID!) { enroll(courseId: $c) { id } }', { c: courseId })).data!.enroll.id;
  const complete = async (learner: User, enrollmentId: string, lessonIds: string[]) => {
    for (const lessonId of lessonIds) expect((await as(learner, COMPLETE, { e: enrollmentId, l: lessonId })).errors).toBeUndefined();
  };
  const grade = async (grader: User, enrollmentId: string, score: number) =>
    expect((await as(grader, GRADE, { e: enrollmentId, s: score })).errors).toBeUndefined();

  /** Enrollments by (learner index, course) for the checks below. */
  const enrollments = new Map<string, string>();
  let certificateToRevoke = '';

  beforeAll(async () => {
    supergraph = await startSupergraph();
    fixture = await createTenant(supergraph.db.database, { settings: { timezone: ZONE } });
    other = await createTenant(supergraph.db.database);
    const instructorA = fixture.users.INSTRUCTOR;
    instructorB = await addUser('INSTRUCTOR', 'Beatriz Solis');
    learners = [];
    for (const name of ['Ana Flores', 'Bruno Rios', 'Carla Mendez', 'Diego Luna', 'Elena Cruz', 'Fer Ortiz'])
      learners.push(await addUser('LEARNER', name));
    const [l1, l2, l3, l4, l5, l6] = learners as [User, User, User, User, User, User];

    // Huertos urbanos: three lessons, its second module moved first (course order: Goteo, Lombrices, Mantillo).
    const huertos = await createCourse(instructorA, 'Huertos urbanos', [
      { title: 'Suelo', lessons: ['Lombrices', 'Mantillo'] },
      { title: 'Riego', lessons: ['Goteo'] },
    ]);
    ids.huertos = huertos.id;
    expect(
      (await as(instructorA, 'mutation($id: ID!) { moveModule(id: $id, position: 1) { id } }', { id: huertos.modules[1]!.id })).errors,
    ).toBeUndefined();
    await publish(instructorA, huertos.id);
    const [lombrices, mantillo] = huertos.modules[0]!.lessons.map((lesson) => lesson.id) as [string, string];
    const goteo = huertos.modules[1]!.lessons[0]!.id;
    for (const [i, learner] of [l1, l2, l3, l4, l5].entries()) enrollments.set(`${i + 1}:huertos`, await enroll(learner, huertos.id));
    await complete(l1, enrollments.get('1:huertos')!, [goteo, lombrices, mantillo]);
    await grade(instructorA, enrollments.get('1:huertos')!, 90); // COMPLETED, a certificate
    await complete(l2, enrollments.get('2:huertos')!, [lombrices]); // 33.33
    await complete(l3, enrollments.get('3:huertos')!, [lombrices, goteo]); // 66.67
    await grade(fixture.users.EVALUATOR, enrollments.get('3:huertos')!, 60); // below 80: ACTIVE with a final score
    await complete(l5, enrollments.get('5:huertos')!, [lombrices]); // cancelled below: in no figure
    // Compostaje en casa: graded by its assessment (one true/false question: 100 or 0).
    const compostaje = await createCourse(instructorA, 'Compostaje en casa', [{ title: 'Bases', lessons: ['Capas', 'Humedad'] }]);
    ids.compostaje = compostaje.id;
    const assessment = await as<{ setCourseAssessment: { questions: { id: string; options: { id: string; correct: boolean }[] }[] } }>(
      instructorA,
      `mutation($c: ID!, $input: AssessmentInput!) { setCourseAssessment(courseId: $c, input: $input) { questions { id options { id correct } } } }`,
      {
        c: compostaje.id,
        input: {
          questions: [
            {
              prompt: 'El compost necesita aire',
              kind: 'TRUE_FALSE',
              options: [
                { text: 'Verdadero', correct: true },
                { text: 'Falso', correct: false },
              ],
            },
          ],
          maxAttempts: 3,
        },
      },
    );
    const question = assessment.data!.setCourseAssessment.questions[0]!;
    const answer = (right: boolean) => [{ questionId: question.id, optionIds: [question.options.find((o) => o.correct === right)!.id] }];
    const attempt = async (learner: User, enrollmentId: string, right: boolean) => {
      const started = await as<{ startAssessmentAttempt: { id: string } }>(learner, START, { e: enrollmentId });
      expect(await as(learner, SUBMIT, { a: started.data!.startAssessmentAttempt.id, answers: answer(right) })).toEqual({
        data: { submitAssessmentAttempt: { passed: right } },
      });
    };
    await publish(instructorA, compostaje.id);
    const [capas, humedad] = compostaje.modules[0]!.lessons.map((lesson) => lesson.id) as [string, string];
    for (const [key, learner] of [
      ['1', l1],
      ['2', l2],
      ['3', l3],
      ['6', l6],
    ] as const)
      enrollments.set(`${key}:compostaje`, await enroll(learner, compostaje.id));
    await complete(l1, enrollments.get('1:compostaje')!, [capas, humedad]);
    await attempt(l1, enrollments.get('1:compostaje')!, false);
    await attempt(l1, enrollments.get('1:compostaje')!, true); // COMPLETED with 100, a certificate
    await complete(l2, enrollments.get('2:compostaje')!, [capas, humedad]);
    await attempt(l2, enrollments.get('2:compostaje')!, false);
    await complete(l3, enrollments.get('3:compostaje')!, [humedad, capas]);
    expect((await as(l3, START, { e: enrollments.get('3:compostaje') })).errors).toBeUndefined(); // open, not submitted
    await complete(l6, enrollments.get('6:compostaje')!, [capas]);
    // Energia solar comunitaria (instructor B): finished 40 days ago.
    const energia = await createCourse(instructorB, 'Energia solar comunitaria', [{ title: 'Paneles', lessons: ['Celdas', 'Inversores'] }]);
    ids.energia = energia.id;
    await publish(instructorB, energia.id);
    enrollments.set('4:energia', await enroll(l4, energia.id));
    enrollments.set('6:energia', await enroll(l6, energia.id));
    await complete(
      l4,
      enrollments.get('4:energia')!,
      energia.modules[0]!.lessons.map((lesson) => lesson.id),
    );
    await grade(instructorB, enrollments.get('4:energia')!, 85);
    // A draft of A's: no learners.
    ids.borrador = (await createCourse(instructorA, 'Borrador de riego', [{ title: 'Uno', lessons: ['Solo'] }])).id;

    // Courses of A's with 5, 3, 2 and 1 enrollments (written directly), so topCourses has more than five to choose from.
    await tenantDb().run(async (tx) => {
      for (const size of [5, 3, 2, 1]) {
        const course = await tx.course.create({
          data: {
            tenantId: fixture.tenant.id,
            slug: `relleno-${size}-${randomBytes(3).toString('hex')}`,
            title: `Taller ${size}`,
            description: 'Taller',
            status: 'PUBLISHED',
            instructorId: instructorA.id,
            priceCents: 0,
            currency: size === 1 ? 'USD' : 'MXN',
          },
        });
        for (const learner of learners.slice(0, size))
          await tx.enrollment.create({ data: { tenantId: fixture.tenant.id, courseId: course.id, learnerId: learner.id } });
      }
      // Reviews are written directly: the analytics read them through the rating summary.
      for (const [learner, rating] of [
        [l1, 5],
        [l2, 4],
      ] as const)
        await tx.courseReview.create({ data: { tenantId: fixture.tenant.id, courseId: huertos.id, authorId: learner.id, rating } });
    });

    // Times the tests need, set directly: l5's Huertos enrollment cancelled; l2, l3 and l4 enrolled in
    // Huertos near midnight of the tenant's days (in UTC, l2's falls on another day); Energia 40 days ago.
    const today = localDate(new Date());
    await owner(async (client) => {
      const set = (sql: string, values: unknown[]) => client.query(sql, values);
      await set(`UPDATE enrollments SET status = 'CANCELLED' WHERE id = $1`, [enrollments.get('5:huertos')]);
      await set('UPDATE enrollments SET enrolled_at = $2 WHERE id = $1', [
        enrollments.get('2:huertos'),
        new Date(localMidnight(daysBefore(today, 1)).getTime() + 30 * 60_000), // 00:30 yesterday: 10:30 UTC the day before
      ]);
      await set('UPDATE enrollments SET enrolled_at = $2 WHERE id = $1', [
        enrollments.get('3:huertos'),
        new Date(localMidnight(today).getTime() - 30 * 60_000), // 23:30 yesterday
      ]);
      await set('UPDATE enrollments SET enrolled_at = $2 WHERE id = $1', [
        enrollments.get('4:huertos'),
        new Date(localMidnight(daysBefore(today, 1)).getTime() - 60_000), // 23:59 the day before yesterday
      ]);
      const longAgo = new Date(Date.now() - 40 * DAY);
      const energiaEnrollments = [enrollments.get('4:energia'), enrollments.get('6:energia')];
      await set('UPDATE enrollments SET enrolled_at = $2 WHERE id = ANY($1)', [energiaEnrollments, longAgo]);
      await set('UPDATE enrollments SET completed_at = $2 WHERE id = ANY($1) AND completed_at IS NOT NULL', [
        energiaEnrollments,
        new Date(longAgo.getTime() + DAY),
      ]);
      await set('UPDATE lesson_completions SET completed_at = $2 WHERE enrollment_id = ANY($1)', [energiaEnrollments, longAgo]);
      await set('UPDATE certificates SET issued_at = $2 WHERE enrollment_id = ANY($1)', [
        energiaEnrollments,
        new Date(longAgo.getTime() + DAY),
      ]);
    });
    // Certificates: Huertos's is revoked; Compostaje's was approved by CONOCER this month, Energia's 40 days ago.
    const certificates = await tenantDb().run((tx) => tx.certificate.findMany({ orderBy: { issuedAt: 'asc' } }));
    const certificateOf = (key: string) => certificates.find((certificate) => certificate.enrollmentId === enrollments.get(key))!;
    certificateToRevoke = certificateOf('1:huertos').id;
    expect(
      await as(fixture.users.TENANT_ADMIN, 'mutation($id: ID!) { revokeCertificate(id: $id, reason: "Plagio") { status } }', {
        id: certificateToRevoke,
      }),
    ).toEqual({ data: { revokeCertificate: { status: 'REVOKED' } } });
    await tenantDb().run(async (tx) => {
      const submissions: [string, 'APPROVED' | 'REJECTED', Date][] = [
        ['1:compostaje', 'APPROVED', new Date(Date.now() - 60_000)],
        ['4:energia', 'APPROVED', new Date(Date.now() - 39 * DAY)],
        ['1:huertos', 'REJECTED', new Date(Date.now() - 60_000)],
      ];
      for (const [key, status, at] of submissions) {
        const certificate = certificateOf(key);
        const submission = await tx.conocerSubmission.create({
          data: {
            tenantId: fixture.tenant.id,
            certificateId: certificate.id,
            standardCode: 'EC0217.01',
            requestedById: certificate.learnerId,
            status,
          },
        });
        for (const [change, when] of [
          ['PENDING', new Date(at.getTime() - HOUR)],
          [status, at],
        ] as const)
          await tx.conocerStatusChange.create({
            data: { tenantId: fixture.tenant.id, submissionId: submission.id, status: change, occurredAt: when },
          });
      }
    });
  }, 180_000);
  afterAll(() => supergraph?.close());

  const forbidden = (path: string[], message: string) => ({ message, path, extensions: { code: 'FORBIDDEN' } });

  it("shows a course's instructor every figure as recomputed from the rows, the funnel in course order, days in the tenant's timezone", async () => {
    const rows = await raw();
    for (const [course, days] of [
      [ids.huertos, 30],
      [ids.compostaje, 7],
      [ids.borrador, 1],
    ] as const) {
      const response = await as(fixture.users.INSTRUCTOR, ANALYTICS, { id: course, days });
      expect(response).toEqual({
        data: { course: { id: course, analytics: expectedCourseAnalytics(rows, course, days, KIRITIMATI, new Date()) } },
      });
    }
    // The same figures, written out: what the recomputation above must agree with.
    const huertos = await as<{ course: { analytics: Record<string, unknown> } }>(fixture.users.INSTRUCTOR, ANALYTICS, {
      id: ids.huertos,
      days: 3,
    });
    const today = localDate(new Date());
    expect(huertos.data!.course.analytics).toEqual({
      enrollmentCount: 4,
      activeCount: 3,
      completedCount: 1,
      completionRate: 0.25,
      averageProgressPercent: 50, // (100 + 33.33 + 66.67 + 0) / 4
      averageScore: 75, // (90 + 60) / 2
      passRate: null, // graded by hand: no attempts
      revenueCents: 0,
      rating: { average: 4.5, count: 2, distribution: [0, 0, 0, 1, 1] },
      funnel: [
        { lesson: { id: expect.any(String), title: 'Goteo' }, completedCount: 2 },
        { lesson: { id: expect.any(String), title: 'Lombrices' }, completedCount: 3 },
        { lesson: { id: expect.any(String), title: 'Mantillo' }, completedCount: 1 },
      ],
      // In UTC, Bruno's 00:30 would be the day before yesterday's: 2, 1, 1.
      enrollmentsByDay: [
        { date: daysBefore(today, 2), count: 1 },
        { date: daysBefore(today, 1), count: 2 },
        { date: today, count: 1 },
      ],
    });
    const compostaje = await as<{ course: { analytics: Record<string, unknown> } }>(fixture.users.TENANT_ADMIN, ANALYTICS, {
      id: ids.compostaje,
    });
    expect(compostaje.data!.course.analytics).toMatchObject({
      enrollmentCount: 4,
      completedCount: 1,
      averageProgressPercent: 87.5, // (100 + 100 + 100 + 50) / 4
      averageScore: 100,
      passRate: 1 / 3, // Ana failed then passed, Bruno failed; Carla's open attempt is not submitted
    });
    expect((compostaje.data!.course.analytics.enrollmentsByDay as unknown[]).length).toBe(30);
  });

  it('falls back to America/Mexico_City when the tenant names a zone PostgreSQL does not know', async () => {
    for (const zone of ['Mars/Olympus_Mons', '+05', 'CST']) {
      await tenantDb().run((tx) => tx.tenant.update({ where: { id: fixture.tenant.id }, data: { settings: { timezone: zone } } }));
      const response = await as(fixture.users.INSTRUCTOR, ANALYTICS, { id: ids.huertos, days: 4 });
      expect(response).toEqual({
        data: { course: { id: ids.huertos, analytics: expectedCourseAnalytics(await raw(), ids.huertos, 4, MEXICO_CITY, new Date()) } },
      });
    }
    await tenantDb().run((tx) => tx.tenant.update({ where: { id: fixture.tenant.id }, data: { settings: { timezone: ZONE } } }));
  });

  it('rejects enrollmentsByDay outside 1..366 days', async () => {
    expect(await as(fixture.users.INSTRUCTOR, ANALYTICS, { id: ids.huertos, days: 0 })).toEqual({
      data: { course: null },
      errors: [
        {
          message: '`days` must be 1 to 366',
          path: ['course', 'analytics', 'enrollmentsByDay'],
          extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'days', message: 'must be 1..366' }] },
        },
      ],
    });
  });

  it("pages a course's learners newest first, with their names from the users subgraph, filtered by status", async () => {
    const rows = await raw();
    const names = new Map(learners.map((learner) => [learner.id, learner.name]));
    const progress: Record<string, number> = { '1': 100, '2': 33.33, '3': 66.67, '4': 0, '5': 33.33 };
    const huertos = rows.enrollments
      .filter((enrollment) => enrollment.course_id === ids.huertos)
      .sort((a, b) => b.enrolled_at.getTime() - a.enrolled_at.getTime() || (a.id < b.id ? 1 : -1));
    const keyOf = (id: string) => [...enrollments].find(([, enrollmentId]) => enrollmentId === id)![0].split(':')[0]!;
    const edge = (enrollment: (typeof huertos)[number]) => ({
      cursor: encodeCursor([enrollment.enrolled_at.toISOString(), enrollment.id]),
      node: {
        id: enrollment.id,
        status: enrollment.status,
        progressPercent: progress[keyOf(enrollment.id)],
        finalScore: enrollment.final_score,
        learner: { id: enrollment.learner_id, name: names.get(enrollment.learner_id) },
      },
    });
    const page = (items: typeof huertos, total: number, hasNextPage: boolean) => ({
      data: {
        course: {
          enrollments: {
            totalCount: total,
            pageInfo: { hasNextPage, endCursor: items.length === 0 ? null : edge(items.at(-1)!).cursor },
            edges: items.map(edge),
          },
        },
      },
    });
    const first = await as<{ course: { enrollments: { pageInfo: { endCursor: string } } } }>(fixture.users.INSTRUCTOR, LEARNERS, {
      id: ids.huertos,
      first: 3,
    });
    expect(first).toEqual(page(huertos.slice(0, 3), 5, true));
    // An evaluator sees them too.
    expect(
      await as(fixture.users.EVALUATOR, LEARNERS, { id: ids.huertos, first: 3, after: first.data!.course.enrollments.pageInfo.endCursor }),
    ).toEqual(page(huertos.slice(3), 5, false));
    const active = huertos.filter((enrollment) => enrollment.status === 'ACTIVE');
    expect(await as(fixture.users.TENANT_ADMIN, LEARNERS, { id: ids.huertos, status: 'ACTIVE' })).toEqual(page(active, 3, false));
    expect(await as(fixture.users.INSTRUCTOR, LEARNERS, { id: ids.huertos, status: 'CANCELLED' })).toEqual(
      page(
        huertos.filter((enrollment) => enrollment.status === 'CANCELLED'),
        1,
        false,
      ),
    );
    expect(await as(fixture.users.INSTRUCTOR, LEARNERS, { id: ids.huertos, after: 'not-a-cursor' })).toEqual({
      data: { course: null },
      errors: [
        {
          message: '`after` is not a cursor this API returned',
          path: ['course', 'enrollments'],
          extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'after', message: 'invalid cursor' }] },
        },
      ],
    });
  });

  it("keeps a course's analytics from other instructors, learners and evaluators, and its learners from other instructors and learners", async () => {
    const analyticsDenied = (message: string) => ({ data: { course: null }, errors: [forbidden(['course', 'analytics'], message)] });
    const learnersDenied = (message: string) => ({ data: { course: null }, errors: [forbidden(['course', 'enrollments'], message)] });
    expect(await as(instructorB, ANALYTICS, { id: ids.huertos })).toEqual(
      analyticsDenied('Only its instructor and admins see its analytics'),
    );
    expect(await as(fixture.users.INSTRUCTOR, ANALYTICS, { id: ids.energia })).toEqual(
      analyticsDenied('Only its instructor and admins see its analytics'),
    );
    expect(await as(instructorB, LEARNERS, { id: ids.huertos })).toEqual(
      learnersDenied('Only its instructor, evaluators and admins see its learners'),
    );
    expect(await as(fixture.users.EVALUATOR, ANALYTICS, { id: ids.huertos })).toEqual(analyticsDenied('Not allowed'));
    for (const learner of [learners[0]!, fixture.users.LEARNER]) {
      expect(await as(learner, ANALYTICS, { id: ids.huertos })).toEqual(analyticsDenied('Not allowed'));
      expect(await as(learner, LEARNERS, { id: ids.huertos })).toEqual(learnersDenied('Not allowed'));
    }
    expect(await supergraph.request(ANALYTICS, { tenant: fixture.tenant.slug, variables: { id: ids.huertos } })).toMatchObject({
      body: {
        data: { course: null },
        errors: [{ message: 'Authentication required', path: ['course', 'analytics'], extensions: { code: 'UNAUTHENTICATED' } }],
      },
    });
    // Its instructor B sees Energia's.
    expect(await as(instructorB, ANALYTICS, { id: ids.energia, days: 1 })).toEqual({
      data: { course: { id: ids.energia, analytics: expectedCourseAnalytics(await raw(), ids.energia, 1, KIRITIMATI, new Date()) } },
    });
  });

  it("gives the tenant's admins the period's figures, with certificates and CONOCER approvals from their subgraphs", async () => {
    const rows = await raw();
    const today = localDate(new Date());
    const monthStart = localMidnight(`${today.slice(0, 8)}01`);
    const month = await as(fixture.users.TENANT_ADMIN, TENANT, {});
    const now = new Date();
    expect(month).toEqual({ data: { tenantAnalytics: expectedTenantAnalytics(rows, 'MONTH', monthStart, now) } });
    expect(await as(fixture.users.TENANT_ADMIN, TENANT, { period: 'ALL_TIME' })).toEqual({
      data: { tenantAnalytics: expectedTenantAnalytics(rows, 'ALL_TIME', new Date(0), new Date()) },
    });
    // Written out for all time (no date in it moves): the recomputation must agree.
    expect(await as(fixture.users.TENANT_ADMIN, TENANT, { period: 'ALL_TIME' })).toEqual({
      data: {
        tenantAnalytics: {
          period: 'ALL_TIME',
          activeLearners: 5, // Ana, Bruno, Carla, Diego and Fer; Elena's only progress is in a cancelled enrollment
          newEnrollments: 4 + 4 + 2 + 5 + 3 + 2 + 1,
          completions: 3,
          certificatesIssued: 2, // Huertos's was revoked
          conocerApproved: 2,
          revenueCents: 0,
          currency: 'MXN',
          topCourses: [
            { title: 'Taller 5' },
            { title: 'Compostaje en casa' },
            { title: 'Huertos urbanos' },
            { title: 'Taller 3' },
            { title: 'Energia solar comunitaria' },
          ],
        },
      },
    });
    for (const period of ['DAY', 'WEEK', 'QUARTER', 'YEAR'] as const) {
      const start = {
        DAY: localMidnight(today),
        // ISO weeks start on Monday.
        WEEK: localMidnight(daysBefore(today, (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7)),
        QUARTER: localMidnight(
          `${today.slice(0, 5)}${String(Math.floor((Number(today.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`,
        ),
        YEAR: localMidnight(`${today.slice(0, 4)}-01-01`),
      }[period];
      expect(await as(fixture.users.TENANT_ADMIN, TENANT, { period })).toEqual({
        data: { tenantAnalytics: expectedTenantAnalytics(rows, period, start, new Date()) },
      });
    }
  });

  it("keeps tenant analytics from everyone but the tenant's admins, and another tenant's admin sees nothing of this tenant", async () => {
    for (const user of [fixture.users.INSTRUCTOR, fixture.users.EVALUATOR, fixture.users.LEARNER])
      expect(await as(user, TENANT, { period: 'ALL_TIME' })).toEqual({
        data: null,
        errors: [forbidden(['tenantAnalytics'], 'Not allowed')],
      });
    // The other tenant's admin, in their own tenant: their (empty) tenant's figures; this tenant's course is not there.
    expect(await as(other.users.TENANT_ADMIN, TENANT, { period: 'ALL_TIME' }, other)).toEqual({
      data: {
        tenantAnalytics: {
          period: 'ALL_TIME',
          activeLearners: 0,
          newEnrollments: 0,
          completions: 0,
          certificatesIssued: 0,
          conocerApproved: 0,
          revenueCents: 0,
          currency: 'MXN',
          topCourses: [],
        },
      },
    });
    const notFound = {
      data: { course: null },
      errors: [{ message: 'Course not found', path: ['course'], extensions: { code: 'NOT_FOUND' } }],
    };
    expect(await as(other.users.TENANT_ADMIN, ANALYTICS, { id: ids.huertos }, other)).toEqual(notFound);
    expect(await as(other.users.TENANT_ADMIN, LEARNERS, { id: ids.huertos }, other)).toEqual(notFound);
    // Their token, naming this tenant: refused before any subgraph.
    const token = await supergraph.login(other.users.TENANT_ADMIN.email, TEST_PASSWORD, other.tenant.slug);
    expect(await supergraph.request(TENANT, { tenant: fixture.tenant.slug, token, variables: { period: 'ALL_TIME' } })).toMatchObject({
      body: { errors: [{ message: 'The token belongs to another tenant', extensions: { code: 'TENANT_MISMATCH' } }] },
    });
  });

  it('answers an instructor analytics of all their courses in as many SQL statements as for one course', async () => {
    const DASHBOARD = `{ me { coursesTaught { title analytics { ${FIGURES} enrollmentsByDay(days: 14) { date count } } } } }`;
    const statementsOf = async (user: User) => {
      await as(user, DASHBOARD); // warm: the tenant and its timezone are looked up once
      supergraph.statements.reset();
      const response = await as<{ me: { coursesTaught: unknown[] } }>(user, DASHBOARD);
      expect(response.errors).toBeUndefined();
      return { courses: response.data!.me.coursesTaught.length, statements: supergraph.statements.count };
    };
    const one = await statementsOf(instructorB);
    const many = await statementsOf(fixture.users.INSTRUCTOR);
    expect(one.courses).toBe(1);
    expect(many.courses).toBe(7);
    expect(many.statements).toBe(one.statements);
    const count = async (query: string, variables: Record<string, unknown>) => {
      supergraph.statements.reset();
      expect((await as(fixture.users.TENANT_ADMIN, query, variables)).errors).toBeUndefined();
      return supergraph.statements.count;
    };
    process.stdout.write(
      `analytics statements: instructor dashboard of 1 and of 7 courses ${one.statements}; one course ${await count(ANALYTICS, {
        id: ids.huertos,
      })}; tenant analytics ${await count(TENANT, { period: 'MONTH' })}\n`,
    );
  });
});
