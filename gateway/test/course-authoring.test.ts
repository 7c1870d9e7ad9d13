import {
  asPersonaOf,
  createTenant,
  createTenantWithEveryKindOfRow,
  startSupergraph,
  type RunningSupergraph,
  type TestTenant,
} from '@academy/testing';

const STRUCTURE = 'modules { title position lessons { title position } }';
const CREATE = `mutation($input: CreateCourseInput!) { createCourse(input: $input) { id ${STRUCTURE} } }`;
const COURSE = `query($id: ID!) { course(id: $id) { title status priceCents ${STRUCTURE} } }`;
const ADD_MODULE =
  'mutation($c: ID!, $t: String!, $p: Int) { addModule(courseId: $c, input: { title: $t }, position: $p) { id title position } }';
const ADD_LESSON =
  'mutation($m: ID!, $t: String!, $p: Int) { addLesson(moduleId: $m, input: { title: $t, durationMinutes: 15 }, position: $p) { id title position } }';
const MOVE_MODULE = `mutation($id: ID!, $p: Int!) { moveModule(id: $id, position: $p) { ${STRUCTURE} } }`;
const MOVE_LESSON = `mutation($id: ID!, $m: ID, $p: Int!) { moveLesson(id: $id, moduleId: $m, position: $p) { ${STRUCTURE} } }`;
const REMOVE_LESSON = `mutation($id: ID!) { removeLesson(id: $id) { ${STRUCTURE} } }`;
const REMOVE_MODULE = `mutation($id: ID!) { removeModule(id: $id) { ${STRUCTURE} } }`;
const ENROLLMENT = 'query($id: ID!) { enrollment(id: $id) { status progressPercent completedLessonIds } }';

type Structure = { title: string; position: number; lessons: { title: string; position: number }[] }[];

/** An instructor builds, reorders and trims a course step by step; learners' progress follows. */
describe('course authoring (through the gateway)', () => {
  let supergraph: RunningSupergraph;
  let fixture: TestTenant;
  let as: ReturnType<typeof asPersonaOf>;

  beforeAll(async () => {
    supergraph = await startSupergraph();
    fixture = await createTenant(supergraph.db.database);
    as = asPersonaOf(supergraph, fixture);
  }, 60_000);
  afterAll(() => supergraph?.close());

  const shape = (structure: Structure) => structure.map((module) => [module.title, module.lessons.map((lesson) => lesson.title)]);
  const dense = (structure: Structure) =>
    structure.every((module, m) => module.position === m + 1 && module.lessons.every((lesson, l) => lesson.position === l + 1));

  it('builds, reorders, moves, removes and publishes; learners’ progress follows the edits', async () => {
    const created = await as<{ createCourse: { id: string } }>('INSTRUCTOR', CREATE, {
      input: {
        title: 'Huertos urbanos',
        description: 'Del balcón a la mesa',
        priceCents: 0,
        modules: [{ title: 'Suelo', lessons: [{ title: 'Composta', durationMinutes: 10 }] }],
      },
    });
    const courseId = created.data!.createCourse.id;
    const riego = (await as<{ addModule: { id: string } }>('INSTRUCTOR', ADD_MODULE, { c: courseId, t: 'Riego' })).data!.addModule.id;
    const semillas = (
      await as<{ addModule: { id: string; position: number } }>('INSTRUCTOR', ADD_MODULE, { c: courseId, t: 'Semillas', p: 1 })
    ).data!.addModule;
    expect(semillas.position).toBe(1);
    const goteo = (await as<{ addLesson: { id: string } }>('INSTRUCTOR', ADD_LESSON, { m: riego, t: 'Goteo' })).data!.addLesson.id;
    await as('INSTRUCTOR', ADD_LESSON, { m: riego, t: 'Captación de lluvia', p: 1 });
    await as('INSTRUCTOR', ADD_LESSON, { m: semillas.id, t: 'Germinación' });
    const course = async () => (await as<{ course: { modules: Structure } }>('INSTRUCTOR', COURSE, { id: courseId })).data!.course;
    expect(shape((await course()).modules)).toEqual([
      ['Semillas', ['Germinación']],
      ['Suelo', ['Composta']],
      ['Riego', ['Captación de lluvia', 'Goteo']],
    ]);

    // Reorder: Riego first; Goteo into Semillas, first.
    const moved = await as<{ moveModule: { modules: Structure } }>('INSTRUCTOR', MOVE_MODULE, { id: riego, p: 1 });
    expect(shape(moved.data!.moveModule.modules)).toEqual([
      ['Riego', ['Captación de lluvia', 'Goteo']],
      ['Semillas', ['Germinación']],
      ['Suelo', ['Composta']],
    ]);
    const across = await as<{ moveLesson: { modules: Structure } }>('INSTRUCTOR', MOVE_LESSON, { id: goteo, m: semillas.id, p: 1 });
    expect(shape(across.data!.moveLesson.modules)).toEqual([
      ['Riego', ['Captación de lluvia']],
      ['Semillas', ['Goteo', 'Germinación']],
      ['Suelo', ['Composta']],
    ]);
    expect(dense(across.data!.moveLesson.modules)).toBe(true);
    expect(await as('INSTRUCTOR', 'mutation($id: ID!) { publishCourse(id: $id) { status } }', { id: courseId })).toEqual({
      data: { publishCourse: { status: 'PUBLISHED' } },
    });

    // A learner takes it and completes Goteo: 1 of 4 lessons.
    const enrolled = await as<{ enroll: { id: string } }>('LEARNER', 'mutation($c: ID!) { enroll(courseId: $c) { id } }', { c: courseId });
    const enrollmentId = enrolled.data!.enroll.id;
    await as('LEARNER', 'mutation($e: ID!, $l: ID!) { completeLesson(enrollmentId: $e, lessonId: $l) { id } }', {
      e: enrollmentId,
      l: goteo,
    });
    expect(await as('LEARNER', ENROLLMENT, { id: enrollmentId })).toEqual({
      data: { enrollment: { status: 'ACTIVE', progressPercent: 25, completedLessonIds: [goteo] } },
    });

    // What the learner completed cannot go; the rest can, and progress follows (1 of 3, then 1 of 4 again).
    expect(await as('INSTRUCTOR', REMOVE_LESSON, { id: goteo })).toEqual({
      data: null,
      errors: [
        { message: 'A learner has completed this lesson; it cannot be removed', path: ['removeLesson'], extensions: { code: 'CONFLICT' } },
      ],
    });
    expect(await as('INSTRUCTOR', REMOVE_MODULE, { id: semillas.id })).toEqual({
      data: null,
      errors: [
        {
          message: 'A learner has completed a lesson of this module; it cannot be removed',
          path: ['removeModule'],
          extensions: { code: 'CONFLICT' },
        },
      ],
    });
    const trimmed = await as<{ removeModule: { modules: Structure } }>('INSTRUCTOR', REMOVE_MODULE, { id: riego });
    expect(shape(trimmed.data!.removeModule.modules)).toEqual([
      ['Semillas', ['Goteo', 'Germinación']],
      ['Suelo', ['Composta']],
    ]);
    expect(dense(trimmed.data!.removeModule.modules)).toBe(true);
    expect(
      (await as<{ enrollment: { progressPercent: number } }>('LEARNER', ENROLLMENT, { id: enrollmentId })).data!.enrollment.progressPercent,
    ).toBe(33.33);
    await as('INSTRUCTOR', ADD_LESSON, { m: semillas.id, t: 'Trasplante' });
    expect(
      (await as<{ enrollment: { progressPercent: number } }>('LEARNER', ENROLLMENT, { id: enrollmentId })).data!.enrollment.progressPercent,
    ).toBe(25);

    // Fields change (checked); archived, nobody new enrolls.
    const updated = await as(
      'INSTRUCTOR',
      'mutation($id: ID!) { updateCourse(id: $id, input: { title: "Huertos en casa", priceCents: 49900 }) { title priceCents } }',
      {
        id: courseId,
      },
    );
    expect(updated).toEqual({ data: { updateCourse: { title: 'Huertos en casa', priceCents: 49900 } } });
    expect(
      await as(
        'INSTRUCTOR',
        'mutation($id: ID!) { updateCourse(id: $id, input: { title: " ", passingScore: 101, currency: "XYZ" }) { title } }',
        { id: courseId },
      ),
    ).toEqual({
      data: null,
      errors: [
        {
          message: 'Invalid course',
          path: ['updateCourse'],
          extensions: {
            code: 'BAD_USER_INPUT',
            issues: [
              { field: 'title', message: 'must be 1 to 160 characters' },
              { field: 'currency', message: 'must be an ISO 4217 code such as MXN' },
              { field: 'passingScore', message: 'must be 0 to 100' },
            ],
          },
        },
      ],
    });
    expect(await as('INSTRUCTOR', 'mutation($id: ID!) { archiveCourse(id: $id) { status } }', { id: courseId })).toEqual({
      data: { archiveCourse: { status: 'ARCHIVED' } },
    });
    expect((await as('LEARNER', ENROLLMENT, { id: enrollmentId })).data).toEqual({
      enrollment: { status: 'ACTIVE', progressPercent: 25, completedLessonIds: [goteo] },
    });
  });

  it('positions stay 1..n under concurrent edits', async () => {
    const created = await as<{ createCourse: { id: string; modules: { id?: string }[] } }>('INSTRUCTOR', CREATE, {
      input: {
        title: 'Concurrencia',
        description: 'Muchas manos',
        priceCents: 0,
        modules: [{ title: 'Base', lessons: [{ title: 'L0', durationMinutes: 5 }] }],
      },
    });
    const courseId = created.data!.createCourse.id;
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_unused, n) => as('INSTRUCTOR', ADD_MODULE, { c: courseId, t: `M${n}`, p: n % 2 === 0 ? 1 : null })),
    );
    expect(answers.every((answer) => !answer.errors)).toBe(true);
    const structure = (await as<{ course: { modules: Structure } }>('INSTRUCTOR', COURSE, { id: courseId })).data!.course.modules;
    expect(structure).toHaveLength(13);
    expect(structure.map((module) => module.position)).toEqual(Array.from({ length: 13 }, (_unused, n) => n + 1));
  });

  it('only its instructor or an admin edits; positions outside 1..n and other tenants’ parts are refused', async () => {
    const created = await as<{ createCourse: { id: string } }>('INSTRUCTOR', CREATE, {
      input: { title: 'Ajeno', description: 'x', priceCents: 0, modules: [{ title: 'A', lessons: [{ title: 'a', durationMinutes: 5 }] }] },
    });
    const courseId = created.data!.createCourse.id;
    for (const persona of ['LEARNER', 'EVALUATOR'] as const)
      expect(await as(persona, ADD_MODULE, { c: courseId, t: 'X' })).toEqual({
        data: null,
        errors: [{ message: 'Not allowed', path: ['addModule'], extensions: { code: 'FORBIDDEN' } }],
      });
    expect((await as('TENANT_ADMIN', ADD_MODULE, { c: courseId, t: 'Del admin' })).data).toEqual({
      addModule: { id: expect.any(String), title: 'Del admin', position: 2 },
    });
    expect(await as('INSTRUCTOR', ADD_MODULE, { c: courseId, t: 'X', p: 9 })).toEqual({
      data: null,
      errors: [
        {
          message: 'Invalid position',
          path: ['addModule'],
          extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'position', message: 'must be 1 to 3' }] },
        },
      ],
    });
    // Another tenant's module is not found here.
    const other = await createTenantWithEveryKindOfRow(supergraph.db.database);
    const theirModule = await supergraph.db.database
      .forTenant(other.tenant.id)
      .run((tx) => tx.courseModule.findFirstOrThrow({ select: { id: true } }));
    for (const [query, variables, path, what] of [
      [REMOVE_MODULE, { id: theirModule.id }, 'removeModule', 'Module'],
      [ADD_MODULE, { c: '00000000-0000-4000-8000-000000000000', t: 'X' }, 'addModule', 'Course'],
      [REMOVE_MODULE, { id: '00000000-0000-4000-8000-000000000000' }, 'removeModule', 'Module'],
      [REMOVE_LESSON, { id: 'not-an-id' }, 'removeLesson', 'Lesson'],
    ] as const)
      expect(await as('INSTRUCTOR', query, variables)).toEqual({
        data: null,
        errors: [{ message: `${what} not found`, path: [path], extensions: { code: 'NOT_FOUND' } }],
      });
  });
});
