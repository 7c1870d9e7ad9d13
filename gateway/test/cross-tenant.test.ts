import { FORWARDED_HEADERS, signForwardedContext } from '@academy/platform';
import { startSupergraph, type RunningSupergraph } from '@academy/testing';

/** Ids of tenant B (cooperativa-sol) that tenant A (demo) must never reach. */
interface ForeignIds {
  user: string;
  community: string;
  course: string;
  courseSlug: string;
  lesson: string;
  enrollment: string;
  certificate: string;
  submission: string;
  impactEvent: string;
}

/** Root fields whose type is nullable answer `{ field: null }` next to the error; the others null the whole data. */
const NULLABLE = new Set(['user', 'course', 'enrollment', 'certificate']);
const notFound = (path: string) => ({
  data: NULLABLE.has(path) ? { [path]: null } : null,
  errors: [{ message: expect.stringMatching(/not found$/), path: [path], extensions: { code: 'NOT_FOUND' } }],
});

describe('cross-tenant attempts through the gateway', () => {
  let supergraph: RunningSupergraph;
  let foreign: ForeignIds;
  let tokens: Record<'learner' | 'instructor' | 'evaluator' | 'admin', string>;
  let demo: { id: string; name: string; slug: string; tier: string };
  let ownEnrollment: string;

  beforeAll(async () => {
    supergraph = await startSupergraph();
    const db = supergraph.db.database;
    foreign = await db.asPlatform({ actorId: 'system:test', action: 'test.read', reason: 'collect tenant B ids' }, async (tx) => {
      const where = { tenant: { slug: 'cooperativa-sol' } };
      const course = (await tx.course.findFirst({ where: { ...where, status: 'PUBLISHED' } }))!;
      return {
        user: (await tx.user.findFirst({ where: { ...where, email: 'learner@cooperativa-sol.academy.mx' } }))!.id,
        community: (await tx.community.findFirst({ where }))!.id,
        course: course.id,
        courseSlug: course.slug,
        lesson: (await tx.lesson.findFirst({ where }))!.id,
        enrollment: (await tx.enrollment.findFirst({ where }))!.id,
        certificate: (await tx.certificate.findFirst({ where }))!.id,
        submission: (await tx.conocerSubmission.findFirst({ where, orderBy: { createdAt: 'desc' } }))!.id,
        impactEvent: (await tx.impactEvent.findFirst({ where }))!.id,
      };
    });
    const login = (persona: string) => supergraph.login(`${persona}@demo.academy.mx`, 'academy-demo-2026', 'demo');
    tokens = {
      learner: await login('learner'),
      instructor: await login('instructor'),
      evaluator: await login('evaluator'),
      admin: await login('tenant_admin'),
    };
    const me = await supergraph.request<{ me: { enrollments: { id: string }[] }; viewerTenant: typeof demo }>(
      '{ me { enrollments(status: ACTIVE) { id } } viewerTenant { id name slug tier } }',
      { token: tokens.learner, tenant: 'demo' },
    );
    ownEnrollment = me.body.data!.me.enrollments[0]!.id;
    demo = me.body.data!.viewerTenant;
  });
  afterAll(() => supergraph?.close());

  const cases: [string, keyof typeof tokens, string, (ids: ForeignIds) => Record<string, unknown>][] = [
    ['user', 'admin', 'query($id: ID!) { user(id: $id) { id name email } }', (ids) => ({ id: ids.user })],
    ['course', 'learner', 'query($id: ID!) { course(id: $id) { id title } }', (ids) => ({ id: ids.course })],
    ['course', 'learner', 'query($slug: String!) { course(slug: $slug) { id title } }', (ids) => ({ slug: ids.courseSlug })],
    ['enrollment', 'admin', 'query($id: ID!) { enrollment(id: $id) { id progressPercent } }', (ids) => ({ id: ids.enrollment })],
    ['certificate', 'admin', 'query($id: ID!) { certificate(id: $id) { id verificationCode } }', (ids) => ({ id: ids.certificate })],
    ['solarpunkCompliance', 'admin', 'query($id: ID!) { solarpunkCompliance(courseId: $id) { compliant } }', (ids) => ({ id: ids.course })],
    [
      'impactReport',
      'admin',
      'query($id: ID!) { impactReport(scope: COMMUNITY, communityId: $id) { overall } }',
      (ids) => ({ id: ids.community }),
    ],
    ['impactReport', 'admin', 'query($id: ID!) { impactReport(scope: INDIVIDUAL, userId: $id) { overall } }', (ids) => ({ id: ids.user })],
    ['impactEvents', 'evaluator', 'query($id: ID!) { impactEvents(userId: $id) { id } }', (ids) => ({ id: ids.user })],
    [
      'conocerSubmissions',
      'admin',
      'query($after: String!) { conocerSubmissions(after: $after) { id } }',
      (ids) => ({ after: ids.submission }),
    ],
    [
      'setUserPersona',
      'admin',
      'mutation($id: ID!) { setUserPersona(userId: $id, persona: INSTRUCTOR) { id } }',
      (ids) => ({ id: ids.user }),
    ],
    ['publishCourse', 'admin', 'mutation($id: ID!) { publishCourse(id: $id) { id } }', (ids) => ({ id: ids.course })],
    ['enroll', 'learner', 'mutation($id: ID!) { enroll(courseId: $id) { id } }', (ids) => ({ id: ids.course })],
    [
      'completeLesson',
      'learner',
      'mutation($id: ID!, $lesson: ID!) { completeLesson(enrollmentId: $id, lessonId: $lesson) { id } }',
      (ids) => ({ id: ids.enrollment, lesson: ids.lesson }),
    ],
    [
      'submitFinalAssessment',
      'evaluator',
      'mutation($id: ID!) { submitFinalAssessment(enrollmentId: $id, score: 100) { id } }',
      (ids) => ({ id: ids.enrollment }),
    ],
    [
      'revokeCertificate',
      'admin',
      'mutation($id: ID!) { revokeCertificate(id: $id, reason: "x") { id } }',
      (ids) => ({ id: ids.certificate }),
    ],
    [
      'requestConocerCertification',
      'learner',
      'mutation($id: ID!) { requestConocerCertification(certificateId: $id) { id } }',
      (ids) => ({ id: ids.certificate }),
    ],
    ['retryConocerSubmission', 'admin', 'mutation($id: ID!) { retryConocerSubmission(id: $id) { id } }', (ids) => ({ id: ids.submission })],
    [
      'verifyImpactEvent',
      'evaluator',
      'mutation($id: ID!) { verifyImpactEvent(id: $id, level: EXPERT_VERIFIED) { id } }',
      (ids) => ({ id: ids.impactEvent }),
    ],
  ];

  it.each(cases)('%s with an id of another tenant is NOT_FOUND and shows nothing (as %s)', async (field, persona, query, variables) => {
    const response = await supergraph.request(query, { token: tokens[persona], tenant: 'demo', variables: variables(foreign) });
    expect(response.body).toEqual(notFound(field));
  });

  it('completeLesson on an own enrollment with a lesson of another tenant is NOT_FOUND', async () => {
    const response = await supergraph.request(
      'mutation($id: ID!, $lesson: ID!) { completeLesson(enrollmentId: $id, lessonId: $lesson) { id } }',
      {
        token: tokens.learner,
        tenant: 'demo',
        variables: { id: ownEnrollment, lesson: foreign.lesson },
      },
    );
    expect(response.body).toEqual(notFound('completeLesson'));
  });

  it('createCourse naming an instructor of another tenant is NOT_FOUND', async () => {
    const response = await supergraph.request('mutation($input: CreateCourseInput!) { createCourse(input: $input) { id } }', {
      token: tokens.admin,
      tenant: 'demo',
      variables: {
        input: {
          title: 'Curso',
          description: 'd',
          priceCents: 0,
          instructorId: foreign.user,
          modules: [{ title: 'M', lessons: [{ title: 'L', durationMinutes: 10 }] }],
        },
      },
    });
    expect(response.body).toEqual(notFound('createCourse'));
  });

  it.each(['not-a-uuid', '00000000-0000-0000-0000-000000000000', "' OR 1=1 --"])(
    'treats the id %j as unknown, not as a server error',
    async (id) => {
      const response = await supergraph.request('query($id: ID!) { course(id: $id) { id } }', {
        token: tokens.learner,
        tenant: 'demo',
        variables: { id },
      });
      expect(response.body).toEqual(notFound('course'));
    },
  );

  describe('the tenant of a request', () => {
    const viewerTenant = '{ viewerTenant { slug } }';

    it.each([
      ['X-Tenant header', { headers: { 'x-tenant': 'cooperativa-sol' } }],
      ['path /t/<slug>/graphql', { path: '/t/cooperativa-sol/graphql' }],
      ['subdomain', { headers: { host: 'cooperativa-sol.academy.test' } }],
    ])('is TENANT_MISMATCH for a token of another tenant named by %s', async (_how, how) => {
      const response = await supergraph.request(viewerTenant, { token: tokens.admin, ...how });
      expect({ status: response.status, body: response.body }).toEqual({
        status: 403,
        body: { errors: [{ message: 'The token belongs to another tenant', extensions: { code: 'TENANT_MISMATCH' } }] },
      });
    });

    it.each([
      ['X-Tenant header', { headers: { 'x-tenant': 'tec-norte' } }, 'tec-norte'],
      ['path /t/<slug>/graphql', { path: '/t/tec-norte/graphql' }, 'tec-norte'],
      ['subdomain', { headers: { host: 'tec-norte.academy.test:4000' } }, 'tec-norte'],
      [
        'header before path before subdomain',
        { headers: { 'x-tenant': 'demo', host: 'tec-norte.academy.test' }, path: '/t/cooperativa-sol/graphql' },
        'demo',
      ],
      ['path before subdomain', { headers: { host: 'tec-norte.academy.test' }, path: '/t/cooperativa-sol/graphql' }, 'cooperativa-sol'],
    ])('is found from the %s', async (_how, how, slug) => {
      const response = await supergraph.request(viewerTenant, how);
      expect(response.body).toEqual({ data: { viewerTenant: { slug } } });
    });

    it.each([
      ['an unknown slug', { headers: { 'x-tenant': 'no-such-academy' } }, 'Unknown tenant'],
      ['a malformed slug', { headers: { 'x-tenant': 'Robert"); DROP TABLE tenants;--' } }, 'Unknown tenant'],
      ['no tenant at all', {}, 'No tenant: send X-Tenant, use /t/<slug>/graphql or <slug>.academy.test'],
    ])('is TENANT_NOT_FOUND for %s', async (_what, how, message) => {
      const response = await supergraph.request(viewerTenant, how);
      expect({ status: response.status, body: response.body }).toEqual({
        status: 404,
        body: { errors: [{ message, extensions: { code: 'TENANT_NOT_FOUND' } }] },
      });
    });

    // No test adds people to tec-norte: its seeded 24 stay 24.
    it('lets a PLATFORM_ADMIN act on another tenant', async () => {
      const token = await supergraph.login('platform_admin@demo.academy.mx', 'academy-demo-2026', 'demo');
      const response = await supergraph.request<{ users: { totalCount: number } }>(
        '{ viewerTenant { slug } users(first: 1) { totalCount } }',
        { token, tenant: 'tec-norte' },
      );
      expect(response.body).toEqual({ data: { viewerTenant: { slug: 'tec-norte' }, users: { totalCount: 24 } } });
    });
  });

  describe('subgraphs called directly, around the gateway', () => {
    const post = (url: string, headers: Record<string, string>) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: '{ _entities(representations: [{ __typename: "User", id: "x" }]) { ... on User { id email } } }' }),
      }).then(async (response) => ({ status: response.status, body: await response.json() }));
    const refused = (message: string) => ({ status: 401, body: { errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] } });
    const forwarded = () => ({ tenant: { ...demo, tier: 'PROFESSIONAL' as const }, viewer: null });

    it.each(['users', 'courses', 'certifications', 'conocer', 'impact'])(
      'refuse a request without the gateway signature (%s)',
      async (name) => {
        expect(await post(supergraph.subgraphUrls[name]!, {})).toEqual(refused('Requests must come through the gateway'));
      },
    );

    it('refuse a signature made with another secret', async () => {
      const headers = signForwardedContext('a guessed secret of at least thirty-two characters', forwarded());
      expect(await post(supergraph.subgraphUrls.users!, headers)).toEqual(refused('Invalid or expired gateway signature'));
    });

    it('refuse forwarded context changed after signing (a persona raised)', async () => {
      const headers = signForwardedContext(supergraph.gatewaySecret, {
        ...forwarded(),
        viewer: { userId: foreign.user, tenantId: demo.id, persona: 'LEARNER' },
      });
      const raised = Buffer.from(JSON.stringify({ userId: foreign.user, tenantId: demo.id, persona: 'PLATFORM_ADMIN' })).toString(
        'base64url',
      );
      expect(await post(supergraph.subgraphUrls.users!, { ...headers, [FORWARDED_HEADERS.viewer]: raised })).toEqual(
        refused('Invalid or expired gateway signature'),
      );
    });

    it('refuse a stale signature (replayed later)', async () => {
      const headers = signForwardedContext(supergraph.gatewaySecret, forwarded(), Date.now() - 5 * 60_000);
      expect(await post(supergraph.subgraphUrls.users!, headers)).toEqual(refused('Invalid or expired gateway signature'));
    });

    it('do not expose federation fields through the gateway', async () => {
      const response = await supergraph.request('{ _service { sdl } }', { tenant: 'demo' });
      expect(response.body).toEqual({
        errors: [
          {
            message: 'Cannot query field "_service" on type "Query".',
            locations: [{ line: 1, column: 3 }],
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      });
    });
  });
});
