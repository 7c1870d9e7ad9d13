import type { ConocerStatusChange, ConocerSubmission } from '@academy/platform';
import {
  createCompliantCourse,
  createTenantWithEveryKindOfRow,
  GATEWAY_BOUNDARY,
  startSubgraph,
  uniqueId,
  type RunningSubgraph,
  type TestTenant,
} from '@academy/testing';
import { standardOf, submissionIn } from './fixtures';

/** The conocer subgraph on its own, as the gateway calls it: entities, who sees what, the catalogue, compliance. */
describe('conocer subgraph', () => {
  let subgraph: RunningSubgraph;
  let fixture: TestTenant;
  let other: TestTenant;
  let submission: ConocerSubmission;
  let change: ConocerStatusChange;
  let ec0217: Awaited<ReturnType<typeof standardOf>>;
  /** A learner of the fixture's tenant with no submission. */
  let stranger: TestTenant['users']['LEARNER'];
  beforeAll(async () => {
    subgraph = await startSubgraph('conocer');
    fixture = await createTenantWithEveryKindOfRow(subgraph.db.database);
    other = await createTenantWithEveryKindOfRow(subgraph.db.database);
    [submission, change] = await subgraph.db.database
      .forTenant(fixture.tenant.id)
      .run(async (tx) => [await tx.conocerSubmission.findFirstOrThrow(), await tx.conocerStatusChange.findFirstOrThrow()] as const);
    ec0217 = await standardOf(subgraph.db.database, 'EC0217.01');
    stranger = await subgraph.db.database.forTenant(fixture.tenant.id).run((tx) =>
      tx.user.create({
        data: {
          tenantId: fixture.tenant.id,
          email: `stranger-${uniqueId()}@example.test`,
          name: 'Otra aprendiz',
          passwordHash: 'x',
          persona: 'LEARNER',
        },
      }),
    );
  });
  afterAll(() => subgraph?.close());

  const as = (persona: keyof TestTenant['users'], tenant = fixture) => ({ tenant: tenant.tenant, viewer: tenant.users[persona] });
  const anonymous = () => ({ tenant: fixture.tenant });
  const submissionView = () => ({
    id: submission.id,
    status: 'PENDING',
    folio: null,
    rejectionReason: null,
    attempts: 0,
    certificate: { id: submission.certificateId },
    standard: { code: 'EC0217.01', title: ec0217.title },
    history: [{ status: 'PENDING', reason: null, occurredAt: change.occurredAt.toISOString() }],
    createdAt: submission.createdAt.toISOString(),
    updatedAt: submission.updatedAt.toISOString(),
  });

  it('answers only requests the gateway signed', async () => {
    expect(await subgraph.boundary(fixture.tenant)).toEqual(GATEWAY_BOUNDARY);
  });

  it('has a rule for every field', () => {
    expect(subgraph.ruleCoverage()).toEqual({ withoutRule: [], stale: [] });
  });

  describe('entities', () => {
    const ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on CompetencyStandard { code title level sector committee updatedAt }
      ... on ConocerSubmission { id status folio rejectionReason attempts certificate { id } standard { code title } history { status reason occurredAt } createdAt updatedAt }
      ... on Course { id competencyStandard { code title level } }
      ... on Certificate { id conocerStatus conocerSubmission { id status } }
    } }`;
    const representations = () => [
      { __typename: 'CompetencyStandard', code: 'EC0217.01' },
      { __typename: 'ConocerSubmission', id: submission.id },
      { __typename: 'Course', id: course, competencyStandardCode: 'EC0217.01' },
      { __typename: 'Certificate', id: submission.certificateId },
    ];
    const course = uniqueId();
    const courseView = () => ({ id: course, competencyStandard: { code: 'EC0217.01', title: ec0217.title, level: ec0217.level } });

    it("resolves every kind for the gateway: a submission (on its own or as a certificate's) for its learner and staff only", async () => {
      const expected = (seesSubmission: boolean) => ({
        status: 200,
        body: {
          data: {
            _entities: [
              ec0217,
              seesSubmission ? submissionView() : null,
              courseView(),
              {
                id: submission.certificateId,
                conocerStatus: 'PENDING',
                conocerSubmission: seesSubmission ? { id: submission.id, status: 'PENDING' } : null,
              },
            ],
          },
        },
      });
      for (const persona of ['LEARNER', 'EVALUATOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'] as const) {
        const response = await subgraph.request(ENTITIES, { variables: { representations: representations() }, ...as(persona) });
        expect({ persona, status: response.status, body: response.body }).toEqual({ persona, ...expected(true) });
      }
      // The course's instructor sees the certificate (certifications lets them) and its CONOCER status, not the submission; nor does another learner.
      for (const [who, viewer] of [
        ['INSTRUCTOR', fixture.users.INSTRUCTOR],
        ['another learner', stranger],
      ] as const) {
        const response = await subgraph.request(ENTITIES, {
          variables: { representations: representations() },
          tenant: fixture.tenant,
          viewer,
        });
        expect({ who, status: response.status, body: response.body }).toEqual({ who, ...expected(false) });
      }
    });

    it("gives the anonymous the catalogue and courses' standards, and nothing of submissions or certificates", async () => {
      const response = await subgraph.request(ENTITIES, { variables: { representations: representations().slice(0, 3) }, ...anonymous() });
      expect(response.body).toEqual({ data: { _entities: [ec0217, null, courseView()] } });
      const certificate = await subgraph.request(
        'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Certificate { conocerStatus } } }',
        {
          variables: { representations: representations().slice(3) },
          ...anonymous(),
        },
      );
      expect(certificate.body).toEqual({
        data: { _entities: [null] },
        errors: [{ message: 'Authentication required', path: ['_entities', 0, 'conocerStatus'], extensions: { code: 'UNAUTHENTICATED' } }],
      });
    });

    it("never resolves another tenant's submission, nor shows another tenant's certificate's status", async () => {
      const response = await subgraph.request(ENTITIES, {
        variables: {
          representations: representations()
            .slice(1)
            .filter((r) => r.__typename !== 'Course'),
        },
        ...as('TENANT_ADMIN', other),
      });
      expect(response.body).toEqual({
        data: { _entities: [null, { id: submission.certificateId, conocerStatus: 'NOT_REQUESTED', conocerSubmission: null }] },
      });
    });

    it('resolves unknown keys to nothing: no such standard, submission or submission of a certificate; a course without a standard', async () => {
      const certificate = uniqueId();
      const response = await subgraph.request(ENTITIES, {
        variables: {
          representations: [
            { __typename: 'CompetencyStandard', code: 'EC9999.99' },
            { __typename: 'ConocerSubmission', id: uniqueId() },
            { __typename: 'ConocerSubmission', id: 'not-a-uuid' },
            { __typename: 'Course', id: course, competencyStandardCode: null },
            { __typename: 'Course', id: course, competencyStandardCode: 'EC9999.99' },
            { __typename: 'Certificate', id: certificate },
            { __typename: 'Certificate', id: 'not-a-uuid' },
          ],
        },
        ...as('TENANT_ADMIN'),
      });
      expect(response.body).toEqual({
        data: {
          _entities: [
            null,
            null,
            null,
            { id: course, competencyStandard: null },
            { id: course, competencyStandard: null },
            { id: certificate, conocerStatus: 'NOT_REQUESTED', conocerSubmission: null },
            { id: 'not-a-uuid', conocerStatus: 'NOT_REQUESTED', conocerSubmission: null },
          ],
        },
      });
    });
  });

  describe('certificationStatusEvent (each live subscription event)', () => {
    const EVENT = `query ($id: ID!, $certificateId: ID) { certificationStatusEvent(id: $id, certificateId: $certificateId) {
      certificate { id } submission { id status } status previousStatus reason occurredAt
    } }`;
    const event = () => ({
      certificate: { id: submission.certificateId },
      submission: { id: submission.id, status: 'PENDING' },
      status: 'PENDING',
      previousStatus: 'NOT_REQUESTED',
      reason: null,
      occurredAt: change.occurredAt.toISOString(),
    });

    it("is the certificate's learner's and staff's; null when it is not of the certificate named", async () => {
      for (const persona of ['LEARNER', 'EVALUATOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'] as const) {
        const body = (
          await subgraph.request(EVENT, { variables: { id: change.id, certificateId: submission.certificateId }, ...as(persona) })
        ).body;
        expect({ persona, body }).toEqual({ persona, body: { data: { certificationStatusEvent: event() } } });
      }
      expect((await subgraph.request(EVENT, { variables: { id: change.id }, ...as('LEARNER') })).body).toEqual({
        data: { certificationStatusEvent: event() },
      });
      expect((await subgraph.request(EVENT, { variables: { id: change.id, certificateId: uniqueId() }, ...as('LEARNER') })).body).toEqual({
        data: { certificationStatusEvent: null },
      });
    });

    it('refuses others, the anonymous, and knows no status change of another tenant or none at all', async () => {
      expect((await subgraph.request(EVENT, { variables: { id: change.id }, ...as('INSTRUCTOR') })).body).toEqual({
        data: { certificationStatusEvent: null },
        errors: [
          {
            message: "Only the certificate's learner and staff see this",
            path: ['certificationStatusEvent'],
            extensions: { code: 'FORBIDDEN' },
          },
        ],
      });
      expect((await subgraph.request(EVENT, { variables: { id: change.id }, ...anonymous() })).body).toEqual({
        data: { certificationStatusEvent: null },
        errors: [{ message: 'Authentication required', path: ['certificationStatusEvent'], extensions: { code: 'UNAUTHENTICATED' } }],
      });
      const notFound = {
        data: { certificationStatusEvent: null },
        errors: [{ message: 'Status change not found', path: ['certificationStatusEvent'], extensions: { code: 'NOT_FOUND' } }],
      };
      expect((await subgraph.request(EVENT, { variables: { id: change.id }, ...as('TENANT_ADMIN', other) })).body).toEqual(notFound);
      expect((await subgraph.request(EVENT, { variables: { id: uniqueId() }, ...as('TENANT_ADMIN') })).body).toEqual(notFound);
      expect((await subgraph.request(EVENT, { variables: { id: 'not-a-uuid' }, ...as('TENANT_ADMIN') })).body).toEqual(notFound);
    });
  });

  describe('the competency standards catalogue', () => {
    const PAGE = `query ($first: Int, $after: String, $search: String, $level: Int, $sector: String) {
      competencyStandards(first: $first, after: $after, search: $search, level: $level, sector: $sector) {
        edges { cursor node { code title level sector committee updatedAt } } pageInfo { hasNextPage endCursor } totalCount
      }
    }`;
    const cursor = (code: string) => Buffer.from(JSON.stringify([code])).toString('base64url');

    it('is public: searched by code or title, filtered by level and sector, paged by code', async () => {
      expect((await subgraph.request(PAGE, { variables: { search: ' ec0217 ' }, ...anonymous() })).body).toEqual({
        data: {
          competencyStandards: {
            edges: [{ cursor: cursor('EC0217.01'), node: ec0217 }],
            pageInfo: { hasNextPage: false, endCursor: cursor('EC0217.01') },
            totalCount: 1,
          },
        },
      });

      const where = { active: true, level: 4, sector: { equals: ec0217.sector, mode: 'insensitive' as const } };
      const all = await subgraph.db.database.prisma.competencyStandard.findMany({ where, orderBy: { code: 'asc' } });
      expect(all.length).toBeGreaterThan(3);
      const view = (code: string) => standardOf(subgraph.db.database, code);
      const variables = { first: 2, level: 4, sector: ec0217.sector.toLowerCase() };
      const first = await subgraph.request(PAGE, { variables, tenant: other.tenant, viewer: other.users.LEARNER });
      expect(first.body).toEqual({
        data: {
          competencyStandards: {
            edges: [
              { cursor: cursor(all[0]!.code), node: await view(all[0]!.code) },
              { cursor: cursor(all[1]!.code), node: await view(all[1]!.code) },
            ],
            pageInfo: { hasNextPage: true, endCursor: cursor(all[1]!.code) },
            totalCount: all.length,
          },
        },
      });
      const second = await subgraph.request(PAGE, { variables: { ...variables, after: cursor(all[1]!.code) }, ...anonymous() });
      expect(second.body).toEqual({
        data: {
          competencyStandards: {
            edges: [
              { cursor: cursor(all[2]!.code), node: await view(all[2]!.code) },
              { cursor: cursor(all[3]!.code), node: await view(all[3]!.code) },
            ],
            pageInfo: { hasNextPage: all.length > 4, endCursor: cursor(all[3]!.code) },
            totalCount: all.length,
          },
        },
      });
    });

    it('refuses a cursor it did not hand out, and a negative page size', async () => {
      expect((await subgraph.request(PAGE, { variables: { after: 'bm9wZQ' }, ...anonymous() })).body).toEqual({
        data: null,
        errors: [
          {
            message: '`after` is not a cursor this API returned',
            path: ['competencyStandards'],
            extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'after', message: 'invalid cursor' }] },
          },
        ],
      });
      expect((await subgraph.request(PAGE, { variables: { first: -1 }, ...anonymous() })).body).toEqual({
        data: null,
        errors: [
          {
            message: 'Invalid input: `first` must be 0..100',
            path: ['competencyStandards'],
            extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'first', message: 'must be 0..100' }] },
          },
        ],
      });
    });

    it('gives one standard by code to anyone, however it is written, and NOT_FOUND for an unknown code', async () => {
      const query = 'query ($code: String!) { competencyStandard(code: $code) { code title level sector committee updatedAt } }';
      expect((await subgraph.request(query, { variables: { code: ' ec0217.01 ' }, ...anonymous() })).body).toEqual({
        data: { competencyStandard: ec0217 },
      });
      expect((await subgraph.request(query, { variables: { code: 'EC9999.99' }, ...as('LEARNER') })).body).toEqual({
        data: { competencyStandard: null },
        errors: [{ message: 'Competency standard not found', path: ['competencyStandard'], extensions: { code: 'NOT_FOUND' } }],
      });
    });
  });

  describe('conocerSubmissions', () => {
    const LIST =
      'query ($status: ConocerStatus, $after: String) { conocerSubmissions(status: $status, after: $after) { id status certificate { id } standard { code } } }';

    it("lists the tenant's submissions to staff, filtered by status", async () => {
      const own = [
        { id: submission.id, status: 'PENDING', certificate: { id: submission.certificateId }, standard: { code: 'EC0217.01' } },
      ];
      for (const persona of ['EVALUATOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'] as const) {
        expect({ persona, body: (await subgraph.request(LIST, { ...as(persona) })).body }).toEqual({
          persona,
          body: { data: { conocerSubmissions: own } },
        });
      }
      expect((await subgraph.request(LIST, { variables: { status: 'FAILED' }, ...as('EVALUATOR') })).body).toEqual({
        data: { conocerSubmissions: [] },
      });
      expect((await subgraph.request(LIST, { variables: { after: submission.id }, ...as('EVALUATOR') })).body).toEqual({
        data: { conocerSubmissions: [] },
      });
    });

    it("refuses learners, instructors and the anonymous, and another tenant's submission as `after`", async () => {
      for (const persona of ['LEARNER', 'INSTRUCTOR'] as const) {
        expect({ persona, body: (await subgraph.request(LIST, { ...as(persona) })).body }).toEqual({
          persona,
          body: { data: null, errors: [{ message: 'Not allowed', path: ['conocerSubmissions'], extensions: { code: 'FORBIDDEN' } }] },
        });
      }
      expect((await subgraph.request(LIST, anonymous())).body).toEqual({
        data: null,
        errors: [{ message: 'Authentication required', path: ['conocerSubmissions'], extensions: { code: 'UNAUTHENTICATED' } }],
      });
      expect((await subgraph.request(LIST, { variables: { after: submission.id }, ...as('TENANT_ADMIN', other) })).body).toEqual({
        data: null,
        errors: [{ message: 'Submission (after) not found', path: ['conocerSubmissions'], extensions: { code: 'NOT_FOUND' } }],
      });
    });
  });

  describe('conocerSyncStatus', () => {
    const STATUS = '{ conocerSyncStatus { lastStandardsSyncAt standardsCount pendingSubmissions failedSubmissions circuit } }';

    it('tells admins how delivery stands for their tenant: the catalogue, submissions under way and failed, the breaker', async () => {
      const prisma = subgraph.db.database.prisma;
      // Its PENDING submission, and a second certificate's FAILED one.
      const own = await createTenantWithEveryKindOfRow(subgraph.db.database);
      await submissionIn(subgraph.db.database, own, 'FAILED');
      for (const persona of ['TENANT_ADMIN', 'PLATFORM_ADMIN'] as const) {
        const response = await subgraph.request(STATUS, as(persona, own));
        const lastRun = await prisma.standardsSyncRun.findFirst({ where: { status: 'SUCCEEDED' }, orderBy: { finishedAt: 'desc' } });
        expect({ persona, body: response.body }).toEqual({
          persona,
          body: {
            data: {
              conocerSyncStatus: {
                lastStandardsSyncAt: lastRun?.finishedAt?.toISOString() ?? null,
                standardsCount: await prisma.competencyStandard.count({ where: { active: true } }),
                pendingSubmissions: 1,
                failedSubmissions: 1,
                circuit: 'CLOSED',
              },
            },
          },
        });
      }
    });

    it('is for admins only', async () => {
      for (const persona of ['LEARNER', 'INSTRUCTOR', 'EVALUATOR'] as const) {
        expect({ persona, body: (await subgraph.request(STATUS, as(persona))).body }).toEqual({
          persona,
          body: { data: null, errors: [{ message: 'Not allowed', path: ['conocerSyncStatus'], extensions: { code: 'FORBIDDEN' } }] },
        });
      }
      expect((await subgraph.request(STATUS, anonymous())).body).toEqual({
        data: null,
        errors: [{ message: 'Authentication required', path: ['conocerSyncStatus'], extensions: { code: 'UNAUTHENTICATED' } }],
      });
    });
  });

  describe('solarpunkCompliance', () => {
    const COMPLIANCE = 'query ($courseId: ID!) { solarpunkCompliance(courseId: $courseId) { compliant score issues { rule message } } }';

    it('judges a course of the tenant for anyone signed in: every rule met, or the ones that are not', async () => {
      const compliant = await createCompliantCourse(subgraph.db.database, fixture);
      for (const persona of ['LEARNER', 'INSTRUCTOR', 'EVALUATOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'] as const) {
        expect({
          persona,
          body: (await subgraph.request(COMPLIANCE, { variables: { courseId: compliant.id }, ...as(persona) })).body,
        }).toEqual({
          persona,
          body: { data: { solarpunkCompliance: { compliant: true, score: 100, issues: [] } } },
        });
      }
      const lacking = await subgraph.db.database.forTenant(fixture.tenant.id).run((tx) =>
        tx.course.create({
          data: {
            tenantId: fixture.tenant.id,
            slug: `borrador-${uniqueId().slice(0, 8)}`,
            title: 'Borrador',
            description: 'Sin estándar',
            status: 'DRAFT',
            instructorId: fixture.users.INSTRUCTOR.id,
            priceCents: 0,
            competencyStandardCode: null,
            passingScore: 60,
          },
        }),
      );
      expect((await subgraph.request(COMPLIANCE, { variables: { courseId: lacking.id }, ...as('INSTRUCTOR') })).body).toEqual({
        data: {
          solarpunkCompliance: {
            compliant: false,
            score: 16.7,
            issues: [
              { rule: 'standard-aligned', message: 'The course must prepare for a CONOCER competency standard (competencyStandardCode).' },
              { rule: 'impact-declared', message: 'The course must declare at least one Solarpunk impact dimension.' },
              { rule: 'assessment-present', message: 'The final assessment must require at least 70 to pass (it requires 60).' },
              { rule: 'content-sufficient', message: 'The lessons must add up to at least 60 minutes (they add up to 0).' },
              { rule: 'published', message: 'Only published courses lead to CONOCER certification (this one is DRAFT).' },
            ],
          },
        },
      });
    });

    it('needs a signed-in user, and knows no course of another tenant', async () => {
      const course = await createCompliantCourse(subgraph.db.database, fixture);
      expect((await subgraph.request(COMPLIANCE, { variables: { courseId: course.id }, ...anonymous() })).body).toEqual({
        data: null,
        errors: [{ message: 'Authentication required', path: ['solarpunkCompliance'], extensions: { code: 'UNAUTHENTICATED' } }],
      });
      const notFound = {
        data: null,
        errors: [{ message: 'Course not found', path: ['solarpunkCompliance'], extensions: { code: 'NOT_FOUND' } }],
      };
      expect((await subgraph.request(COMPLIANCE, { variables: { courseId: course.id }, ...as('TENANT_ADMIN', other) })).body).toEqual(
        notFound,
      );
      expect((await subgraph.request(COMPLIANCE, { variables: { courseId: uniqueId() }, ...as('TENANT_ADMIN') })).body).toEqual(notFound);
    });
  });
});
