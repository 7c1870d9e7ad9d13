import { randomBytes, randomUUID } from 'node:crypto';
import { encodeCursor, type Course, type CourseStatus, type User } from '@academy/platform';
import {
  createCompliantCourse,
  createTenant,
  createTenantWithEveryKindOfRow,
  GATEWAY_BOUNDARY,
  startSubgraph,
  type RunningSubgraph,
  type TestTenant,
} from '@academy/testing';

/** The courses subgraph on its own, as the gateway calls it: entities, the catalogue, creating and publishing courses. */
describe('courses subgraph', () => {
  let subgraph: RunningSubgraph;
  let fixture: TestTenant;
  let other: TestTenant;
  /** The fixture's published course (one module, one lesson), its completed enrollment, and a draft of its instructor. */
  let course: Course;
  let lesson: { id: string; moduleId: string };
  let enrollment: { id: string; completedAt: Date; enrolledAt: Date };
  let draft: Course;
  let otherCourse: Course;
  beforeAll(async () => {
    subgraph = await startSubgraph('courses');
    [fixture, other] = await Promise.all([
      createTenantWithEveryKindOfRow(subgraph.db.database),
      createTenantWithEveryKindOfRow(subgraph.db.database),
    ]);
    ({ course, lesson, enrollment } = await subgraph.db.database.forTenant(fixture.tenant.id).run(async (tx) => ({
      course: await tx.course.findFirstOrThrow(),
      lesson: await tx.lesson.findFirstOrThrow({ select: { id: true, moduleId: true } }),
      enrollment: await tx.enrollment
        .findFirstOrThrow({ select: { id: true, completedAt: true, enrolledAt: true } })
        .then((row) => ({ ...row, completedAt: row.completedAt! })),
    })));
    draft = await createCourseRow(fixture, { title: 'Borrador', status: 'DRAFT', instructorId: fixture.users.INSTRUCTOR.id });
    otherCourse = await subgraph.db.database.forTenant(other.tenant.id).run((tx) => tx.course.findFirstOrThrow());
  });
  afterAll(() => subgraph?.close());

  const as = (persona: keyof TestTenant['users'], tenant = fixture) => ({ tenant: tenant.tenant, viewer: tenant.users[persona] });
  const forbidden = (path: (string | number)[], message = 'Not allowed') => ({ message, path, extensions: { code: 'FORBIDDEN' } });
  const unauthenticated = (path: (string | number)[]) => ({
    message: 'Authentication required',
    path,
    extensions: { code: 'UNAUTHENTICATED' },
  });
  const notFound = (what: string, path: (string | number)[]) => ({ message: `${what} not found`, path, extensions: { code: 'NOT_FOUND' } });

  /** A course with one module of one lesson, written directly. */
  function createCourseRow(tenant: TestTenant, data: { title: string; status: CourseStatus; instructorId: string }): Promise<Course> {
    return subgraph.db.database.forTenant(tenant.tenant.id).run(async (tx) => {
      const created = await tx.course.create({
        data: {
          tenantId: tenant.tenant.id,
          slug: `curso-${randomBytes(4).toString('hex')}`,
          description: `Descripción de ${data.title}`,
          priceCents: 0,
          ...data,
        },
      });
      const module = await tx.courseModule.create({
        data: { tenantId: tenant.tenant.id, courseId: created.id, title: 'Módulo', position: 1 },
      });
      await tx.lesson.create({
        data: { tenantId: tenant.tenant.id, courseId: created.id, moduleId: module.id, title: 'Lección', position: 1, durationMinutes: 15 },
      });
      return created;
    });
  }

  /** Another user of a tenant with this persona. */
  function addUser(tenant: TestTenant, persona: User['persona']): Promise<User> {
    return subgraph.db.database.forTenant(tenant.tenant.id).run((tx) =>
      tx.user.create({
        data: {
          tenantId: tenant.tenant.id,
          email: `${persona.toLowerCase()}-${randomBytes(4).toString('hex')}@${tenant.tenant.slug}.test`,
          name: `Otra persona ${persona}`,
          passwordHash: 'x',
          persona,
        },
      }),
    );
  }

  it('answers only requests the gateway signed', async () => {
    expect(await subgraph.boundary(fixture.tenant)).toEqual(GATEWAY_BOUNDARY);
  });

  it('has a rule for every field', () => {
    expect(subgraph.ruleCoverage()).toEqual({ withoutRule: [], stale: [] });
  });

  describe('entities', () => {
    const ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on Course { id slug title status instructor { id } modules { id title lessons { id title durationMinutes } } enrollmentCount }
      ... on Enrollment { id enrollmentStatus: status progressPercent completedLessonIds finalScore conocerRequested enrolledAt completedAt learner { id } course { id } }
      ... on User { id enrollments { id status } active: enrollments(status: ACTIVE) { id } coursesTaught { id } }
    } }`;
    const courseEntity = () => ({
      id: course.id,
      slug: course.slug,
      title: 'Curso de prueba',
      status: 'PUBLISHED',
      instructor: { id: fixture.users.INSTRUCTOR.id },
      modules: [{ id: lesson.moduleId, title: 'Módulo', lessons: [{ id: lesson.id, title: 'Lección', durationMinutes: 10 }] }],
      enrollmentCount: 1,
    });
    const enrollmentEntity = () => ({
      id: enrollment.id,
      enrollmentStatus: 'COMPLETED',
      progressPercent: 100,
      completedLessonIds: [lesson.id],
      finalScore: 95,
      conocerRequested: false,
      enrolledAt: enrollment.enrolledAt.toISOString(),
      completedAt: enrollment.completedAt.toISOString(),
      learner: { id: fixture.users.LEARNER.id },
      course: { id: course.id },
    });

    it('resolves a course, an enrollment and a learner for the learner and staff', async () => {
      const representations = [
        { __typename: 'Course', id: course.id },
        { __typename: 'Enrollment', id: enrollment.id },
        { __typename: 'User', id: fixture.users.LEARNER.id },
      ];
      for (const persona of ['LEARNER', 'EVALUATOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'] as const) {
        const response = await subgraph.request(ENTITIES, { variables: { representations }, ...as(persona) });
        expect({ persona, status: response.status, body: response.body }).toEqual({
          persona,
          status: 200,
          body: {
            data: {
              _entities: [
                courseEntity(),
                enrollmentEntity(),
                { id: fixture.users.LEARNER.id, enrollments: [{ id: enrollment.id, status: 'COMPLETED' }], active: [], coursesTaught: [] },
              ],
            },
          },
        });
      }
    });

    it("keeps an enrollment and a learner's enrollments from other learners, the instructor and the anonymous", async () => {
      const stranger = await addUser(fixture, 'LEARNER');
      const enrollmentOnly = { representations: [{ __typename: 'Enrollment', id: enrollment.id }] };
      const enrollments =
        'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id enrollments { id } } } }';
      const learner = { representations: [{ __typename: 'User', id: fixture.users.LEARNER.id }] };
      for (const viewer of [stranger, fixture.users.INSTRUCTOR]) {
        expect({
          viewer: viewer.persona,
          body: (await subgraph.request(ENTITIES, { variables: enrollmentOnly, tenant: fixture.tenant, viewer })).body,
        }).toEqual({
          viewer: viewer.persona,
          body: { data: { _entities: [null] } },
        });
        expect({
          viewer: viewer.persona,
          body: (await subgraph.request(enrollments, { variables: learner, tenant: fixture.tenant, viewer })).body,
        }).toEqual({
          viewer: viewer.persona,
          body: { data: { _entities: [null] }, errors: [forbidden(['_entities', 0, 'enrollments'], 'Only the user and staff see this')] },
        });
      }
      expect((await subgraph.request(ENTITIES, { variables: enrollmentOnly, tenant: fixture.tenant })).body).toEqual({
        data: { _entities: [null] },
      });
      expect((await subgraph.request(enrollments, { variables: learner, tenant: fixture.tenant })).body).toEqual({
        data: { _entities: [null] },
        errors: [unauthenticated(['_entities', 0, 'enrollments'])],
      });
    });

    it('resolves any course of the tenant for anyone, drafts included (other subgraphs reference only what their rules show)', async () => {
      const query = 'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Course { id status } } }';
      const representations = [
        { __typename: 'Course', id: course.id },
        { __typename: 'Course', id: draft.id },
      ];
      expect((await subgraph.request(query, { variables: { representations }, tenant: fixture.tenant })).body).toEqual({
        data: {
          _entities: [
            { id: course.id, status: 'PUBLISHED' },
            { id: draft.id, status: 'DRAFT' },
          ],
        },
      });
    });

    it('lists the courses an instructor teaches as the viewer may see them: drafts for the instructor and admins only', async () => {
      const query =
        'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id coursesTaught { id status } } } }';
      const variables = { representations: [{ __typename: 'User', id: fixture.users.INSTRUCTOR.id }] };
      const taught = (courses: Course[]) => ({
        data: { _entities: [{ id: fixture.users.INSTRUCTOR.id, coursesTaught: courses.map(({ id, status }) => ({ id, status })) }] },
      });
      const everyCourse = [draft, course].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
      for (const persona of ['INSTRUCTOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'] as const) {
        expect({ persona, body: (await subgraph.request(query, { variables, ...as(persona) })).body }).toEqual({
          persona,
          body: taught(everyCourse),
        });
      }
      for (const persona of ['LEARNER', 'EVALUATOR'] as const) {
        expect({ persona, body: (await subgraph.request(query, { variables, ...as(persona) })).body }).toEqual({
          persona,
          body: taught([course]),
        });
      }
      expect((await subgraph.request(query, { variables, tenant: fixture.tenant })).body).toEqual(taught([course]));
    });

    it("never resolves another tenant's course or enrollment, nor unknown ids; another tenant's user has nothing here", async () => {
      const representations = [
        { __typename: 'Course', id: course.id },
        { __typename: 'Enrollment', id: enrollment.id },
        { __typename: 'Course', id: randomUUID() },
        { __typename: 'Enrollment', id: randomUUID() },
        { __typename: 'Course', id: 'not-an-id' },
        { __typename: 'Enrollment', id: 'not-an-id' },
      ];
      for (const persona of ['TENANT_ADMIN', 'PLATFORM_ADMIN'] as const) {
        expect({
          persona,
          body: (await subgraph.request(ENTITIES, { variables: { representations }, ...as(persona, other) })).body,
        }).toEqual({
          persona,
          body: { data: { _entities: representations.map(() => null) } },
        });
      }
      // A user is only a reference here: the subgraph cannot tell another tenant's user, and shows none of their rows.
      const users = [
        { __typename: 'User', id: fixture.users.LEARNER.id },
        { __typename: 'User', id: fixture.users.INSTRUCTOR.id },
        { __typename: 'User', id: randomUUID() },
      ];
      expect((await subgraph.request(ENTITIES, { variables: { representations: users }, ...as('TENANT_ADMIN', other) })).body).toEqual({
        data: { _entities: users.map(({ id }) => ({ id, enrollments: [], active: [], coursesTaught: [] })) },
      });
    });
  });

  describe('queries', () => {
    const COURSES = `query ($first: Int, $after: String, $search: String, $status: CourseStatus) {
      courses(first: $first, after: $after, search: $search, status: $status) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id status } } }
    }`;
    const connection = (courses: Course[], totalCount = courses.length, hasNextPage = false) => ({
      data: {
        courses: {
          totalCount,
          pageInfo: {
            hasNextPage,
            endCursor: courses.length > 0 ? encodeCursor([courses.at(-1)!.createdAt.toISOString(), courses.at(-1)!.id]) : null,
          },
          edges: courses.map((c) => ({ cursor: encodeCursor([c.createdAt.toISOString(), c.id]), node: { id: c.id, status: c.status } })),
        },
      },
    });

    it('courses: published ones for everyone, their own drafts and archived ones for instructors, all for admins; newest first, searched, by status', async () => {
      const catalogue = await createTenant(subgraph.db.database);
      const published = await createCompliantCourse(subgraph.db.database, catalogue, { title: 'Impartición de talleres comunitarios' });
      const ownDraft = await createCourseRow(catalogue, {
        title: 'Borrador del instructor',
        status: 'DRAFT',
        instructorId: catalogue.users.INSTRUCTOR.id,
      });
      const adminDraft = await createCourseRow(catalogue, {
        title: 'Borrador de la administración',
        status: 'DRAFT',
        instructorId: catalogue.users.TENANT_ADMIN.id,
      });
      const archived = await createCourseRow(catalogue, {
        title: 'Curso archivado',
        status: 'ARCHIVED',
        instructorId: catalogue.users.INSTRUCTOR.id,
      });
      const newestFirst = (...courses: Course[]) =>
        courses.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
      const ask = (variables: Record<string, unknown>, persona?: keyof TestTenant['users']) =>
        subgraph
          .request(COURSES, { variables, tenant: catalogue.tenant, viewer: persona ? catalogue.users[persona] : null })
          .then((response) => response.body);

      expect(await ask({})).toEqual(connection([published]));
      for (const persona of ['LEARNER', 'EVALUATOR'] as const)
        expect({ persona, body: await ask({}, persona) }).toEqual({ persona, body: connection([published]) });
      expect(await ask({}, 'INSTRUCTOR')).toEqual(connection(newestFirst(published, ownDraft, archived)));
      const all = newestFirst(published, ownDraft, adminDraft, archived);
      expect(await ask({}, 'TENANT_ADMIN')).toEqual(connection(all));
      expect(await ask({ first: 3 }, 'PLATFORM_ADMIN')).toEqual(connection(all.slice(0, 3), 4, true));
      expect(await ask({ first: 3, after: encodeCursor([all[2]!.createdAt.toISOString(), all[2]!.id]) }, 'PLATFORM_ADMIN')).toEqual(
        connection(all.slice(3), 4),
      );
      // Past the end: no edges, and still the total of what the viewer may see.
      expect(await ask({ first: 3, after: encodeCursor([all[3]!.createdAt.toISOString(), all[3]!.id]) }, 'PLATFORM_ADMIN')).toEqual(
        connection([], 4),
      );
      expect(await ask({ after: encodeCursor([published.createdAt.toISOString(), published.id]) }, 'LEARNER')).toEqual(connection([], 1));

      expect(await ask({ search: '  TALLERES ' })).toEqual(connection([published]));
      expect(await ask({ search: 'comunidad' })).toEqual(connection([published]));
      expect(await ask({ search: 'borrador' }, 'INSTRUCTOR')).toEqual(connection([ownDraft]));
      expect(await ask({ status: 'DRAFT' })).toEqual(connection([]));
      expect(await ask({ status: 'DRAFT' }, 'TENANT_ADMIN')).toEqual(connection(newestFirst(ownDraft, adminDraft)));
      expect(await ask({ first: -1 })).toEqual({
        data: null,
        errors: [
          {
            message: 'Invalid input: `first` must be 0..100',
            path: ['courses'],
            extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'first', message: 'must be 0..100' }] },
          },
        ],
      });
    });

    it("courses: searches the text as typed, LIKE's wildcards and escape character included", async () => {
      const catalogue = await createTenant(subgraph.db.database);
      const percent = await createCourseRow(catalogue, {
        title: 'Reciclaje 100% local',
        status: 'PUBLISHED',
        instructorId: catalogue.users.INSTRUCTOR.id,
      });
      const plain = await createCourseRow(catalogue, {
        title: 'Reciclaje 1000 local',
        status: 'PUBLISHED',
        instructorId: catalogue.users.INSTRUCTOR.id,
      });
      const search = (text: string) =>
        subgraph.request(COURSES, { variables: { search: text }, tenant: catalogue.tenant }).then((response) => response.body);
      expect(await search('100')).toEqual(
        connection([plain, percent].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))),
      );
      expect(await search('100%')).toEqual(connection([percent]));
      expect(await search('%')).toEqual(connection([percent]));
      expect(await search('_')).toEqual(connection([]));
      expect(await search('1_00')).toEqual(connection([]));
      expect(await search('\\')).toEqual(connection([]));
    });

    it("course: by id or slug; a draft only for its instructor and admins (NOT_FOUND for others), never another tenant's", async () => {
      const query =
        'query ($id: ID, $slug: String) { course(id: $id, slug: $slug) { id slug title description status priceCents currency competencyStandardCode passingScore impactDimensions enrollmentCount publishedAt instructor { id } } }';
      const published = {
        id: course.id,
        slug: course.slug,
        title: 'Curso de prueba',
        description: 'Para la prueba de aislamiento',
        status: 'PUBLISHED',
        priceCents: 0,
        currency: 'MXN',
        competencyStandardCode: 'EC0217.01',
        passingScore: 80,
        impactDimensions: ['COMMUNITY'],
        enrollmentCount: 1,
        publishedAt: null,
        instructor: { id: fixture.users.INSTRUCTOR.id },
      };
      expect((await subgraph.request(query, { variables: { id: course.id }, tenant: fixture.tenant })).body).toEqual({
        data: { course: published },
      });
      expect((await subgraph.request(query, { variables: { slug: course.slug }, ...as('LEARNER') })).body).toEqual({
        data: { course: published },
      });

      const shown = {
        id: draft.id,
        slug: draft.slug,
        title: 'Borrador',
        description: 'Descripción de Borrador',
        status: 'DRAFT',
        priceCents: 0,
        currency: 'MXN',
        competencyStandardCode: null,
        passingScore: 80,
        impactDimensions: [],
        enrollmentCount: 0,
        publishedAt: null,
        instructor: { id: fixture.users.INSTRUCTOR.id },
      };
      for (const persona of ['INSTRUCTOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'] as const) {
        expect({ persona, body: (await subgraph.request(query, { variables: { id: draft.id }, ...as(persona) })).body }).toEqual({
          persona,
          body: { data: { course: shown } },
        });
      }
      const hidden = { data: { course: null }, errors: [notFound('Course', ['course'])] };
      for (const persona of ['LEARNER', 'EVALUATOR'] as const) {
        expect({ persona, body: (await subgraph.request(query, { variables: { id: draft.id }, ...as(persona) })).body }).toEqual({
          persona,
          body: hidden,
        });
      }
      const otherInstructor = await addUser(fixture, 'INSTRUCTOR');
      expect(
        (await subgraph.request(query, { variables: { slug: draft.slug }, tenant: fixture.tenant, viewer: otherInstructor })).body,
      ).toEqual(hidden);
      expect((await subgraph.request(query, { variables: { id: draft.id }, tenant: fixture.tenant })).body).toEqual(hidden);

      expect((await subgraph.request(query, { variables: { id: otherCourse.id }, ...as('TENANT_ADMIN') })).body).toEqual(hidden);
      expect((await subgraph.request(query, { variables: { slug: otherCourse.slug }, ...as('TENANT_ADMIN') })).body).toEqual(hidden);
      expect((await subgraph.request(query, { variables: { id: randomUUID() }, ...as('TENANT_ADMIN') })).body).toEqual(hidden);

      const either = (field: string) => ({
        data: { course: null },
        errors: [
          {
            message: 'Give either id or slug',
            path: ['course'],
            extensions: { code: 'BAD_USER_INPUT', issues: [{ field, message: 'exactly one of id and slug' }] },
          },
        ],
      });
      expect((await subgraph.request(query, { variables: {}, tenant: fixture.tenant })).body).toEqual(either('id'));
      expect((await subgraph.request(query, { variables: { id: course.id, slug: course.slug }, tenant: fixture.tenant })).body).toEqual(
        either('slug'),
      );
    });

    it("enrollment: for its learner, the course's instructor and staff; FORBIDDEN to another learner, NOT_FOUND for unknown and foreign ids", async () => {
      const query = 'query ($id: ID!) { enrollment(id: $id) { id status finalScore learner { id } course { id } } }';
      const shown = {
        data: {
          enrollment: {
            id: enrollment.id,
            status: 'COMPLETED',
            finalScore: 95,
            learner: { id: fixture.users.LEARNER.id },
            course: { id: course.id },
          },
        },
      };
      for (const persona of ['LEARNER', 'INSTRUCTOR', 'EVALUATOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'] as const) {
        expect({ persona, body: (await subgraph.request(query, { variables: { id: enrollment.id }, ...as(persona) })).body }).toEqual({
          persona,
          body: shown,
        });
      }
      const stranger = await addUser(fixture, 'LEARNER');
      const otherInstructor = await addUser(fixture, 'INSTRUCTOR');
      for (const viewer of [stranger, otherInstructor]) {
        expect({
          viewer: viewer.persona,
          body: (await subgraph.request(query, { variables: { id: enrollment.id }, tenant: fixture.tenant, viewer })).body,
        }).toEqual({
          viewer: viewer.persona,
          body: {
            data: { enrollment: null },
            errors: [forbidden(['enrollment'], 'Only the learner, the instructor and staff see this enrollment')],
          },
        });
      }
      expect((await subgraph.request(query, { variables: { id: enrollment.id }, tenant: fixture.tenant })).body).toEqual({
        data: { enrollment: null },
        errors: [unauthenticated(['enrollment'])],
      });
      const missing = { data: { enrollment: null }, errors: [notFound('Enrollment', ['enrollment'])] };
      expect((await subgraph.request(query, { variables: { id: enrollment.id }, ...as('TENANT_ADMIN', other) })).body).toEqual(missing);
      expect((await subgraph.request(query, { variables: { id: randomUUID() }, ...as('TENANT_ADMIN') })).body).toEqual(missing);
      expect((await subgraph.request(query, { variables: { id: 'not-an-id' }, ...as('TENANT_ADMIN') })).body).toEqual(missing);
    });
  });

  describe('createCourse', () => {
    const CREATE = `mutation ($input: CreateCourseInput!) { createCourse(input: $input) {
      id slug title description status priceCents currency competencyStandardCode passingScore impactDimensions enrollmentCount publishedAt createdAt
      instructor { id } modules { id title position lessons { id title position durationMinutes } }
    } }`;
    const input = {
      title: '  Huertos urbanos: compostaje ',
      description: ' Compostaje y huertos en la ciudad ',
      priceCents: 15_000,
      competencyStandardCode: ' ec0217.01 ',
      impactDimensions: ['SUSTAINABILITY', 'COMMUNITY', 'SUSTAINABILITY'],
      modules: [
        {
          title: ' Suelo ',
          lessons: [
            { title: ' Qué es el compost ', durationMinutes: 20 },
            { title: 'Lombrices', durationMinutes: 25 },
          ],
        },
        { title: 'Cosecha', lessons: [{ title: 'Recolección', durationMinutes: 30 }] },
      ],
    };
    const created = (instructorId: string, slug: string) => ({
      data: {
        createCourse: {
          id: expect.any(String),
          slug,
          title: 'Huertos urbanos: compostaje',
          description: 'Compostaje y huertos en la ciudad',
          status: 'DRAFT',
          priceCents: 15_000,
          currency: 'MXN',
          competencyStandardCode: 'EC0217.01',
          passingScore: 80,
          impactDimensions: ['SUSTAINABILITY', 'COMMUNITY'],
          enrollmentCount: 0,
          publishedAt: null,
          createdAt: expect.any(String),
          instructor: { id: instructorId },
          modules: [
            {
              id: expect.any(String),
              title: 'Suelo',
              position: 1,
              lessons: [
                { id: expect.any(String), title: 'Qué es el compost', position: 1, durationMinutes: 20 },
                { id: expect.any(String), title: 'Lombrices', position: 2, durationMinutes: 25 },
              ],
            },
            {
              id: expect.any(String),
              title: 'Cosecha',
              position: 2,
              lessons: [{ id: expect.any(String), title: 'Recolección', position: 1, durationMinutes: 30 }],
            },
          ],
        },
      },
    });

    it('creates a draft taught by the instructor who creates it, trimmed, with a free slug; an admin names any teacher', async () => {
      const own = await createTenant(subgraph.db.database);
      const create = (persona: keyof TestTenant['users'], extra: Record<string, unknown> = {}) =>
        subgraph.request<{ createCourse: { id: string } }>(CREATE, {
          variables: { input: { ...input, ...extra } },
          tenant: own.tenant,
          viewer: own.users[persona],
        });
      const first = await create('INSTRUCTOR');
      expect(first.body).toEqual(created(own.users.INSTRUCTOR.id, 'huertos-urbanos-compostaje'));
      expect((await create('INSTRUCTOR', { instructorId: own.users.INSTRUCTOR.id })).body).toEqual(
        created(own.users.INSTRUCTOR.id, 'huertos-urbanos-compostaje-2'),
      );
      expect((await create('TENANT_ADMIN', { instructorId: own.users.INSTRUCTOR.id })).body).toEqual(
        created(own.users.INSTRUCTOR.id, 'huertos-urbanos-compostaje-3'),
      );
      expect((await create('PLATFORM_ADMIN')).body).toEqual(created(own.users.PLATFORM_ADMIN.id, 'huertos-urbanos-compostaje-4'));
      const stored = await subgraph.db.database.forTenant(own.tenant.id).run((tx) =>
        tx.course.findUniqueOrThrow({
          where: { id: first.body.data!.createCourse.id },
          select: { tenantId: true, status: true, _count: { select: { modules: true, lessons: true } } },
        }),
      );
      expect(stored).toEqual({ tenantId: own.tenant.id, status: 'DRAFT', _count: { modules: 2, lessons: 3 } });
    });

    it('refuses bad input with every issue, an unknown EC standard, and an instructor who cannot teach', async () => {
      const own = await createTenant(subgraph.db.database);
      const create = (extra: Record<string, unknown>, persona: keyof TestTenant['users'] = 'TENANT_ADMIN') =>
        subgraph
          .request(CREATE, { variables: { input: { ...input, ...extra } }, tenant: own.tenant, viewer: own.users[persona] })
          .then((response) => response.body);
      const invalid = (issues: { field: string; message: string }[], message = 'Invalid course') => ({
        data: null,
        errors: [{ message, path: ['createCourse'], extensions: { code: 'BAD_USER_INPUT', issues } }],
      });
      expect(
        await create({
          title: '  ',
          description: 'd'.repeat(5001),
          priceCents: -1,
          currency: 'mxn',
          passingScore: 101,
          modules: [],
          competencyStandardCode: 'EC9999.99',
        }),
      ).toEqual(
        invalid([
          { field: 'title', message: 'must be 1 to 160 characters' },
          { field: 'description', message: 'must be 1 to 5000 characters' },
          { field: 'priceCents', message: 'must be 0 to 100000000' },
          { field: 'currency', message: 'must be an ISO 4217 code such as MXN' },
          { field: 'passingScore', message: 'must be 0 to 100' },
          { field: 'modules', message: 'must be 1 to 50 modules' },
          { field: 'competencyStandardCode', message: 'EC9999.99 is not a CONOCER standard of the RENEC catalogue' },
        ]),
      );
      expect(
        await create({
          modules: [
            { title: '', lessons: [] },
            {
              title: 'Bien',
              lessons: [
                { title: 'x'.repeat(161), durationMinutes: 0 },
                { title: 'Bien', durationMinutes: 1441 },
              ],
            },
          ],
        }),
      ).toEqual(
        invalid([
          { field: 'modules.0.title', message: 'must be 1 to 160 characters' },
          { field: 'modules.0.lessons', message: 'must be 1 to 100 lessons' },
          { field: 'modules.1.lessons.0.title', message: 'must be 1 to 160 characters' },
          { field: 'modules.1.lessons.0.durationMinutes', message: 'must be 1 to 1440' },
          { field: 'modules.1.lessons.1.durationMinutes', message: 'must be 1 to 1440' },
        ]),
      );
      expect(await create({ instructorId: own.users.EVALUATOR.id })).toEqual(
        invalid([{ field: 'instructorId', message: 'is a EVALUATOR' }], 'The instructor must be an instructor or an admin'),
      );
      const noInstructor = { data: null, errors: [notFound('Instructor', ['createCourse'])] };
      expect(await create({ instructorId: other.users.INSTRUCTOR.id })).toEqual(noInstructor);
      expect(await create({ instructorId: randomUUID() })).toEqual(noInstructor);
      expect(await subgraph.db.database.forTenant(own.tenant.id).run((tx) => tx.course.count())).toBe(0);
    });

    it('is for instructors (for themselves) and admins', async () => {
      const own = await createTenant(subgraph.db.database);
      const create = (viewer: User | null, extra: Record<string, unknown> = {}) =>
        subgraph
          .request(CREATE, { variables: { input: { ...input, ...extra } }, tenant: own.tenant, viewer })
          .then((response) => response.body);
      expect(await create(own.users.INSTRUCTOR, { instructorId: own.users.TENANT_ADMIN.id })).toEqual({
        data: null,
        errors: [forbidden(['createCourse'], 'An instructor creates courses for themselves')],
      });
      for (const persona of ['LEARNER', 'EVALUATOR'] as const) {
        expect({ persona, body: await create(own.users[persona]) }).toEqual({
          persona,
          body: { data: null, errors: [forbidden(['createCourse'])] },
        });
      }
      expect(await create(null)).toEqual({ data: null, errors: [unauthenticated(['createCourse'])] });
      expect(await subgraph.db.database.forTenant(own.tenant.id).run((tx) => tx.course.count())).toBe(0);
    });
  });

  describe('publishCourse', () => {
    const PUBLISH = 'mutation ($id: ID!) { publishCourse(id: $id) { id status publishedAt } }';
    type Published = { publishCourse: { id: string; status: string; publishedAt: string } };

    it('publishes a draft for its instructor or an admin, once: publishing again changes nothing', async () => {
      const own = await createTenant(subgraph.db.database);
      const byInstructor = await createCourseRow(own, { title: 'Del instructor', status: 'DRAFT', instructorId: own.users.INSTRUCTOR.id });
      const byAdmin = await createCourseRow(own, {
        title: 'Para la administración',
        status: 'DRAFT',
        instructorId: own.users.INSTRUCTOR.id,
      });
      const publish = (id: string, persona: keyof TestTenant['users']) =>
        subgraph.request<Published>(PUBLISH, { variables: { id }, tenant: own.tenant, viewer: own.users[persona] });
      const before = Date.now();
      const first = await publish(byInstructor.id, 'INSTRUCTOR');
      expect(first.body).toEqual({
        data: { publishCourse: { id: byInstructor.id, status: 'PUBLISHED', publishedAt: expect.any(String) } },
      });
      const publishedAt = first.body.data!.publishCourse.publishedAt;
      expect(Date.parse(publishedAt)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(publishedAt)).toBeLessThanOrEqual(Date.now());
      expect((await publish(byInstructor.id, 'INSTRUCTOR')).body).toEqual({
        data: { publishCourse: { id: byInstructor.id, status: 'PUBLISHED', publishedAt } },
      });
      expect((await publish(byAdmin.id, 'TENANT_ADMIN')).body).toEqual({
        data: { publishCourse: { id: byAdmin.id, status: 'PUBLISHED', publishedAt: expect.any(String) } },
      });
      // Now in the catalogue for everyone.
      expect((await subgraph.request('{ courses { totalCount } }', { tenant: own.tenant })).body).toEqual({
        data: { courses: { totalCount: 2 } },
      });
    });

    it("is for the course's instructor and admins: FORBIDDEN to another instructor and other personas, NOT_FOUND for unknown and foreign ids", async () => {
      const own = await createTenant(subgraph.db.database);
      const target = await createCourseRow(own, { title: 'Ajeno', status: 'DRAFT', instructorId: own.users.INSTRUCTOR.id });
      const publish = (id: string, viewer: User | null) =>
        subgraph.request(PUBLISH, { variables: { id }, tenant: own.tenant, viewer }).then((response) => response.body);
      expect(await publish(target.id, await addUser(own, 'INSTRUCTOR'))).toEqual({
        data: null,
        errors: [forbidden(['publishCourse'], 'Only its instructor or an admin may do this')],
      });
      for (const persona of ['LEARNER', 'EVALUATOR'] as const) {
        expect({ persona, body: await publish(target.id, own.users[persona]) }).toEqual({
          persona,
          body: { data: null, errors: [forbidden(['publishCourse'])] },
        });
      }
      expect(await publish(target.id, null)).toEqual({ data: null, errors: [unauthenticated(['publishCourse'])] });
      const missing = { data: null, errors: [notFound('Course', ['publishCourse'])] };
      expect(await publish(otherCourse.id, own.users.TENANT_ADMIN)).toEqual(missing);
      expect(await publish(randomUUID(), own.users.INSTRUCTOR)).toEqual(missing);
      expect(
        await subgraph.db.database
          .forTenant(own.tenant.id)
          .run((tx) => tx.course.findUniqueOrThrow({ where: { id: target.id }, select: { status: true, publishedAt: true } })),
      ).toEqual({
        status: 'DRAFT',
        publishedAt: null,
      });
    });
  });
});
