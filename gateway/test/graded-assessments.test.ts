import { asPersonaOf, createTenant, startSupergraph, type RunningSupergraph, type TestTenant } from '@academy/testing';

const SET = `mutation($c: ID!, $input: AssessmentInput!) { setCourseAssessment(courseId: $c, input: $input) {
  questionCount maxAttempts timeLimitMinutes questions { id prompt kind points options { id text correct } } } }`;
const START = `mutation($e: ID!) { startAssessmentAttempt(enrollmentId: $e) {
  id number status expiresAt score passed questions { id prompt kind points options { id text correct } } } }`;
const SUBMIT = `mutation($a: ID!, $answers: [AnswerInput!]!) { submitAssessmentAttempt(attemptId: $a, answers: $answers) {
  number status score passed submittedAt } }`;
const ENROLLMENT =
  'query($id: ID!) { enrollment(id: $id) { status finalScore attemptsRemaining attempts { number status score passed } } }';

interface Option {
  id: string;
  text: string;
  correct: boolean | null;
}
interface Question {
  id: string;
  prompt: string;
  kind: string;
  points: number;
  options: Option[];
}
interface Attempt {
  id: string;
  number: number;
  status: string;
  questions: Question[];
}

const QUESTIONS = [
  {
    prompt: '¿Qué gas captura la fotosíntesis?',
    kind: 'SINGLE_CHOICE',
    points: 2,
    options: [
      { text: 'CO₂', correct: true },
      { text: 'O₂', correct: false },
      { text: 'N₂', correct: false },
      { text: 'Metano', correct: false },
    ],
  },
  {
    prompt: 'Materiales compostables',
    kind: 'MULTIPLE_CHOICE',
    points: 2,
    options: [
      { text: 'Cáscaras', correct: true },
      { text: 'Vidrio', correct: false },
      { text: 'Hojas secas', correct: true },
      { text: 'Pilas', correct: false },
    ],
  },
  {
    prompt: 'El suelo vivo retiene más agua',
    kind: 'TRUE_FALSE',
    points: 1,
    options: [
      { text: 'Verdadero', correct: true },
      { text: 'Falso', correct: false },
    ],
  },
];

/** Passing a course with an assessment: every lesson, then a graded attempt the server scores. */
describe('graded assessments (through the gateway)', () => {
  let supergraph: RunningSupergraph;
  let fixture: TestTenant;
  let as: ReturnType<typeof asPersonaOf>;

  beforeAll(async () => {
    supergraph = await startSupergraph();
    fixture = await createTenant(supergraph.db.database);
    as = asPersonaOf(supergraph, fixture);
  }, 60_000);
  afterAll(() => supergraph?.close());

  const conflict = (path: string, message: string) => ({
    data: null,
    errors: [{ message, path: [path], extensions: { code: 'CONFLICT' } }],
  });

  /** A published course with two lessons and the assessment above, and the learner enrolled. */
  const course = async (maxAttempts = 3) => {
    const created = await as<{ createCourse: { id: string; modules: { lessons: { id: string }[] }[] } }>(
      'INSTRUCTOR',
      'mutation($input: CreateCourseInput!) { createCourse(input: $input) { id modules { lessons { id } } } }',
      {
        input: {
          title: `Suelo vivo ${Math.random().toString(36).slice(2, 7)}`,
          description: 'Evaluado con examen',
          priceCents: 0,
          passingScore: 80,
          modules: [
            {
              title: 'Bases',
              lessons: [
                { title: 'Uno', durationMinutes: 5 },
                { title: 'Dos', durationMinutes: 5 },
              ],
            },
          ],
        },
      },
    );
    const { id, modules } = created.data!.createCourse;
    const set = await as<{ setCourseAssessment: { questions: Question[] } }>('INSTRUCTOR', SET, {
      c: id,
      input: { questions: QUESTIONS, maxAttempts },
    });
    expect(set.errors).toBeUndefined();
    await as('INSTRUCTOR', 'mutation($id: ID!) { publishCourse(id: $id) { status } }', { id });
    const enrolled = await as<{ enroll: { id: string } }>('LEARNER', 'mutation($c: ID!) { enroll(courseId: $c) { id } }', { c: id });
    return {
      courseId: id,
      enrollmentId: enrolled.data!.enroll.id,
      lessons: modules[0]!.lessons.map((lesson) => lesson.id),
      answerKey: set.data!.setCourseAssessment.questions,
    };
  };
  const completeLessons = async (enrollmentId: string, lessons: string[]) => {
    for (const lesson of lessons)
      await as('LEARNER', 'mutation($e: ID!, $l: ID!) { completeLesson(enrollmentId: $e, lessonId: $l) { id } }', {
        e: enrollmentId,
        l: lesson,
      });
  };
  /** Answers from the instructor's key: every question right, or (wrong) every question wrong. */
  const answers = (key: Question[], right: boolean) =>
    key.map((question) => ({
      questionId: question.id,
      optionIds: question.options
        .filter((option) => option.correct === right)
        .map((option) => option.id)
        .slice(0, right ? 10 : 1),
    }));

  it('the instructor sees the answer key; a learner never does, and sees options shuffled per attempt', async () => {
    const { enrollmentId, lessons, answerKey } = await course();
    expect(answerKey.map((question) => [question.kind, question.points, question.options.map((option) => option.correct)])).toEqual([
      ['SINGLE_CHOICE', 2, [true, false, false, false]],
      ['MULTIPLE_CHOICE', 2, [true, false, true, false]],
      ['TRUE_FALSE', 1, [true, false]],
    ]);
    // Nobody grades it by hand: it is passed through its assessment.
    expect(
      await as('INSTRUCTOR', 'mutation($e: ID!) { submitFinalAssessment(enrollmentId: $e, score: 100) { status } }', { e: enrollmentId }),
    ).toEqual(conflict('submitFinalAssessment', 'This course is passed through its assessment, not graded by hand'));
    // Not before every lesson is completed.
    expect(await as('LEARNER', START, { e: enrollmentId })).toEqual(
      conflict('startAssessmentAttempt', 'Complete every lesson before the assessment'),
    );
    await completeLessons(enrollmentId, lessons);
    const first = (await as<{ startAssessmentAttempt: Attempt }>('LEARNER', START, { e: enrollmentId })).data!.startAssessmentAttempt;
    expect(first).toMatchObject({ number: 1, status: 'IN_PROGRESS', expiresAt: null, score: null, passed: null });
    expect(first.questions.flatMap((question) => question.options.map((option) => option.correct))).toEqual(Array(10).fill(null));
    // The same options, each question's in some order of this attempt's.
    expect(first.questions.map((question) => question.options.map((option) => option.id).sort())).toEqual(
      answerKey.map((question) => question.options.map((option) => option.id).sort()),
    );
    // The learner reading the course's assessment sees no questions at all.
    const seen = await as(
      'LEARNER',
      'query($id: ID!) { enrollment(id: $id) { course { assessment { questionCount maxAttempts questions { id } } } } }',
      {
        id: enrollmentId,
      },
    );
    expect(seen).toEqual({ data: { enrollment: { course: { assessment: { questionCount: 3, maxAttempts: 3, questions: [] } } } } });
    // One open attempt at a time.
    expect(await as('LEARNER', START, { e: enrollmentId })).toEqual(
      conflict('startAssessmentAttempt', 'An attempt is already open: submit it first'),
    );
  });

  it('three failed attempts exhaust maxAttempts; no certificate without a passing attempt', async () => {
    const { enrollmentId, lessons, answerKey } = await course(3);
    await completeLessons(enrollmentId, lessons);
    for (let number = 1; number <= 3; number += 1) {
      const attempt = (await as<{ startAssessmentAttempt: Attempt }>('LEARNER', START, { e: enrollmentId })).data!.startAssessmentAttempt;
      expect(await as('LEARNER', SUBMIT, { a: attempt.id, answers: answers(answerKey, false) })).toEqual({
        data: { submitAssessmentAttempt: { number, status: 'SUBMITTED', score: 0, passed: false, submittedAt: expect.any(String) } },
      });
    }
    expect(await as('LEARNER', START, { e: enrollmentId })).toEqual(conflict('startAssessmentAttempt', 'No attempts remain (3 allowed)'));
    expect(await as('LEARNER', ENROLLMENT, { id: enrollmentId })).toEqual({
      data: {
        enrollment: {
          status: 'ACTIVE',
          finalScore: null,
          attemptsRemaining: 0,
          attempts: [1, 2, 3].map((number) => ({ number, status: 'SUBMITTED', score: 0, passed: false })),
        },
      },
    });
    const certificates = await supergraph.db.database
      .forTenant(fixture.tenant.id)
      .run((tx) => tx.certificate.count({ where: { enrollmentId } }));
    expect(certificates).toBe(0);
  });

  it('a passing attempt, graded by the server, completes the course and issues the certificate', async () => {
    const { enrollmentId, lessons, answerKey } = await course();
    await completeLessons(enrollmentId, lessons);
    const attempt = (await as<{ startAssessmentAttempt: Attempt }>('LEARNER', START, { e: enrollmentId })).data!.startAssessmentAttempt;
    // 4 of 5 points: the multiple-choice question half right earns nothing.
    const mostly = answers(answerKey, true).map((answer, index) =>
      index === 1 ? { ...answer, optionIds: answer.optionIds.slice(0, 1) } : answer,
    );
    const graded = await as('LEARNER', SUBMIT, { a: attempt.id, answers: mostly });
    expect(graded).toEqual({
      data: { submitAssessmentAttempt: { number: 1, status: 'SUBMITTED', score: 60, passed: false, submittedAt: expect.any(String) } },
    });
    const second = (await as<{ startAssessmentAttempt: Attempt }>('LEARNER', START, { e: enrollmentId })).data!.startAssessmentAttempt;
    expect(await as('LEARNER', SUBMIT, { a: second.id, answers: answers(answerKey, true) })).toEqual({
      data: { submitAssessmentAttempt: { number: 2, status: 'SUBMITTED', score: 100, passed: true, submittedAt: expect.any(String) } },
    });
    expect((await as('LEARNER', ENROLLMENT, { id: enrollmentId })).data).toMatchObject({
      enrollment: { status: 'COMPLETED', finalScore: 100, attemptsRemaining: 1 },
    });
    const certificates = await supergraph.db.database
      .forTenant(fixture.tenant.id)
      .run((tx) => tx.certificate.count({ where: { enrollmentId } }));
    expect(certificates).toBe(1);
    // Submitted once: again is CONFLICT; the instructor cannot replace an attempted assessment.
    expect(await as('LEARNER', SUBMIT, { a: second.id, answers: [] })).toEqual(
      conflict('submitAssessmentAttempt', 'This attempt is submitted'),
    );
  });

  it('late submissions are refused and the attempt is EXPIRED; bad answers and other people’s attempts are refused', async () => {
    const { courseId, enrollmentId, lessons, answerKey } = await course();
    await completeLessons(enrollmentId, lessons);
    const attempt = (await as<{ startAssessmentAttempt: Attempt }>('LEARNER', START, { e: enrollmentId })).data!.startAssessmentAttempt;
    expect(
      await as('LEARNER', SUBMIT, {
        a: attempt.id,
        answers: [{ questionId: answerKey[0]!.id, optionIds: [answerKey[1]!.options[0]!.id] }],
      }),
    ).toEqual({
      data: null,
      errors: [
        {
          message: 'Invalid answers',
          path: ['submitAssessmentAttempt'],
          extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'answers.0.optionIds', message: 'not options of this question' }] },
        },
      ],
    });
    expect(await as('EVALUATOR', SUBMIT, { a: attempt.id, answers: [] })).toEqual({
      data: null,
      errors: [{ message: 'Not allowed', path: ['submitAssessmentAttempt'], extensions: { code: 'FORBIDDEN' } }],
    });
    // The time limit passed (the attempt's deadline moved into the past).
    await supergraph.db.database
      .forTenant(fixture.tenant.id)
      .run((tx) => tx.assessmentAttempt.update({ where: { id: attempt.id }, data: { expiresAt: new Date(Date.now() - 1000) } }));
    expect(await as('LEARNER', SUBMIT, { a: attempt.id, answers: answers(answerKey, true) })).toEqual(
      conflict('submitAssessmentAttempt', 'The time limit passed: this attempt expired'),
    );
    expect(
      (await as<{ enrollment: { attempts: unknown[] } }>('LEARNER', ENROLLMENT, { id: enrollmentId })).data!.enrollment.attempts,
    ).toEqual([{ number: 1, status: 'EXPIRED', score: null, passed: null }]);
    expect(await as('INSTRUCTOR', SET, { c: courseId, input: { questions: QUESTIONS } })).toEqual(
      conflict('setCourseAssessment', 'Learners have attempted this assessment; it can no longer be replaced'),
    );
  });

  it('refuses an assessment that cannot be graded, listing every problem', async () => {
    const created = await as<{ createCourse: { id: string } }>(
      'INSTRUCTOR',
      'mutation($input: CreateCourseInput!) { createCourse(input: $input) { id } }',
      {
        input: {
          title: 'Mal examen',
          description: 'x',
          priceCents: 0,
          modules: [{ title: 'A', lessons: [{ title: 'a', durationMinutes: 5 }] }],
        },
      },
    );
    const bad = await as('INSTRUCTOR', SET, {
      c: created.data!.createCourse.id,
      input: {
        maxAttempts: 0,
        questions: [
          {
            prompt: ' ',
            kind: 'SINGLE_CHOICE',
            options: [
              { text: 'a', correct: true },
              { text: 'b', correct: true },
            ],
          },
          { prompt: 'V/F', kind: 'TRUE_FALSE', options: [{ text: 'V', correct: true }] },
        ],
      },
    });
    expect(bad).toEqual({
      data: null,
      errors: [
        {
          message: 'Invalid assessment',
          path: ['setCourseAssessment'],
          extensions: {
            code: 'BAD_USER_INPUT',
            issues: [
              { field: 'maxAttempts', message: 'must be 1 to 10' },
              { field: 'questions.0.prompt', message: 'must be 1 to 2000 characters' },
              { field: 'questions.0.options', message: 'a SINGLE_CHOICE question has exactly one correct option' },
              { field: 'questions.1.options', message: 'a TRUE_FALSE question has 2 options' },
            ],
          },
        },
      ],
    });
    expect(await as('LEARNER', SET, { c: created.data!.createCourse.id, input: { questions: QUESTIONS } })).toEqual({
      data: null,
      errors: [{ message: 'Not allowed', path: ['setCourseAssessment'], extensions: { code: 'FORBIDDEN' } }],
    });
  });
});
