import { createTenant, startSubgraph, type RunningSubgraph, type TestTenant } from '@academy/testing';

/** Course.language: stored, set when the course is created (canonical BCP 47), es-MX unless given, public like the rest of a course. */
describe('a course language', () => {
  let subgraph: RunningSubgraph;
  let fixture: TestTenant;
  beforeAll(async () => {
    subgraph = await startSubgraph('courses');
    fixture = await createTenant(subgraph.db.database);
  });
  afterAll(() => subgraph?.close());

  const CREATE = `mutation ($input: CreateCourseInput!) { createCourse(input: $input) { title language } }`;
  const input = (extra: Record<string, unknown>) => ({
    title: 'Huertos urbanos',
    description: 'Cultivar en la ciudad',
    priceCents: 0,
    modules: [{ title: 'Suelo', lessons: [{ title: 'Composta', durationMinutes: 20 }] }],
    ...extra,
  });
  const create = (extra: Record<string, unknown>) =>
    subgraph.request(CREATE, { variables: { input: input(extra) }, tenant: fixture.tenant, viewer: fixture.users.INSTRUCTOR });

  it('is es-MX unless given, and kept in its canonical form', async () => {
    expect((await create({})).body).toEqual({ data: { createCourse: { title: 'Huertos urbanos', language: 'es-MX' } } });
    expect((await create({ language: ' en-us ' })).body).toEqual({
      data: { createCourse: { title: 'Huertos urbanos', language: 'en-US' } },
    });
  });

  it('is refused when it is no language tag', async () => {
    expect((await create({ language: 'not a language!' })).body).toEqual({
      data: null,
      errors: [
        {
          message: 'Invalid course',
          path: ['createCourse'],
          extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'language', message: 'must be a BCP 47 language tag such as es-MX' }] },
        },
      ],
    });
  });

  it("is read like the rest of a course, by anyone, through the gateway's entity references too", async () => {
    const course = await subgraph.db.database.forTenant(fixture.tenant.id).run((tx) =>
      tx.course.create({
        data: {
          tenantId: fixture.tenant.id,
          slug: 'nahuatl',
          title: 'Náhuatl básico',
          description: 'Primeras palabras',
          priceCents: 0,
          status: 'PUBLISHED',
          instructorId: fixture.users.INSTRUCTOR.id,
          language: 'nah',
        },
      }),
    );
    const query =
      'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Course { title language } } }';
    expect(
      (await subgraph.request(query, { variables: { representations: [{ __typename: 'Course', id: course.id }] }, tenant: fixture.tenant }))
        .body,
    ).toEqual({
      data: { _entities: [{ title: 'Náhuatl básico', language: 'nah' }] },
    });
  });
});
