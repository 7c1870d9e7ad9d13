import {
  createTenant,
  impactSettled,
  loadImpactEvents,
  oracleReport,
  startSupergraph,
  TEST_PASSWORD,
  type ExpectedReport,
  type RunningSupergraph,
  type TestTenant,
} from '@academy/testing';

const RECORD = `mutation($input: RecordImpactEventInput!) {
  recordImpactEvent(input: $input) { id type description verification quantities contributions { dimension score } user { id } }
}`;
const VERIFY =
  'mutation($id: ID!, $level: VerificationLevel!) { verifyImpactEvent(id: $id, level: $level) { verification contributions { dimension score } } }';
const MONTH = `{ impactReport(scope: INDIVIDUAL, period: MONTH) {
  scope period from to overall scores { dimension score } eventCount participantCount
  trend { periodStart overall eventCount scores { dimension score } participantCount } } }`;

const points = (sustainability: number, community: number, regenerative: number, socialJustice: number, circularity: number) => [
  { dimension: 'SUSTAINABILITY', score: sustainability },
  { dimension: 'COMMUNITY', score: community },
  { dimension: 'REGENERATIVE', score: regenerative },
  { dimension: 'SOCIAL_JUSTICE', score: socialJustice },
  { dimension: 'CIRCULARITY', score: circularity },
];

describe('impact events: recording, validation, verification', () => {
  let supergraph: RunningSupergraph;
  let fixture: TestTenant;
  let learner: string;
  let evaluator: string;
  let huerto: string;
  let brigada: string;

  const as = (token: string, query: string, variables: Record<string, unknown> = {}) =>
    supergraph.request(query, { token, tenant: fixture.tenant.slug, variables });
  const myReport = async () => {
    const response = await as(learner, MONTH);
    const { to, ...rest } = (response.body.data as { impactReport: ExpectedReport & { to: string } }).impactReport;
    return { at: new Date(to), rest };
  };

  beforeAll(async () => {
    supergraph = await startSupergraph({ isolated: true, conocer: {} });
    fixture = await createTenant(supergraph.db.database);
    const tenantId = fixture.tenant.id;
    await supergraph.db.database.forTenant(tenantId).run(async (tx) => {
      huerto = (await tx.community.create({ data: { tenantId, name: 'Huerto La Esperanza' } })).id;
      brigada = (await tx.community.create({ data: { tenantId, name: 'Brigada Ríos Limpios' } })).id;
      await tx.communityMembership.create({
        data: { tenantId, communityId: huerto, userId: fixture.users.LEARNER.id, joinedAt: new Date(Date.now() - 86_400_000) },
      });
      await tx.communityMembership.create({ data: { tenantId, communityId: brigada, userId: fixture.users.LEARNER.id } });
      // Joined a year ago, so events of the last months are not before they existed.
      await tx.user.update({ where: { id: fixture.users.LEARNER.id }, data: { createdAt: new Date(Date.now() - 365 * 86_400_000) } });
    });
    learner = await supergraph.login(fixture.users.LEARNER.email, TEST_PASSWORD, fixture.tenant.slug);
    evaluator = await supergraph.login(fixture.users.EVALUATOR.email, TEST_PASSWORD, fixture.tenant.slug);
  });
  afterAll(() => supergraph?.close());

  it('scores a self-reported event, counts it for the person’s first community, and the report follows', async () => {
    const response = await as(learner, RECORD, {
      input: { type: 'SUSTAINABILITY_ACTION', description: '  Cambio a focos LED en la biblioteca  ', quantities: { kgCo2eAvoided: 75 } },
    });
    expect(response.body).toEqual({
      data: {
        recordImpactEvent: {
          id: expect.any(String),
          type: 'SUSTAINABILITY_ACTION',
          description: 'Cambio a focos LED en la biblioteca',
          verification: 'SELF_REPORTED',
          quantities: { kgCo2eAvoided: 75 },
          // docs/impact-scoring.md, worked example: (8 + 3·log2(1 + 75/25)) · 0.5 = 7 points of sustainability, …
          contributions: points(7, 0.5, 1.5, 0.5, 2),
          user: { id: fixture.users.LEARNER.id },
        },
      },
    });
    const id = (response.body.data as { recordImpactEvent: { id: string } }).recordImpactEvent.id;
    const stored = await loadImpactEvents(supergraph.db.ownerUrl, 'id = $1', [id]);
    expect(stored.map((event) => event.communityId)).toEqual([huerto]);

    await impactSettled(supergraph.db.ownerUrl);
    const { at, rest } = await myReport();
    const mine = await loadImpactEvents(supergraph.db.ownerUrl, 'user_id = $1', [fixture.users.LEARNER.id]);
    expect(rest).toEqual(oracleReport('INDIVIDUAL', 'MONTH', at, mine));
    expect(rest.eventCount).toBe(1);
  });

  it('counts an event for the community named, when it is one of the person’s', async () => {
    const response = await as(learner, 'mutation($input: RecordImpactEventInput!) { recordImpactEvent(input: $input) { id } }', {
      input: {
        type: 'COMMUNITY_PROJECT',
        description: 'Limpieza del río',
        quantities: { hours: 6, participants: 15 },
        communityId: brigada,
        occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
      },
    });
    const id = (response.body.data as { recordImpactEvent: { id: string } }).recordImpactEvent.id;
    expect((await loadImpactEvents(supergraph.db.ownerUrl, 'id = $1', [id])).map((event) => event.communityId)).toEqual([brigada]);
  });

  it('a verification rescores the event and changes the reports it counts in', async () => {
    const { body } = await as(learner, RECORD, {
      input: { type: 'SUSTAINABILITY_ACTION', description: 'Composta comunitaria', quantities: { kgCo2eAvoided: 75 } },
    });
    const id = (body.data as { recordImpactEvent: { id: string } }).recordImpactEvent.id;
    await impactSettled(supergraph.db.ownerUrl);
    const before = await myReport();

    expect((await as(evaluator, VERIFY, { id, level: 'EXPERT_VERIFIED' })).body).toEqual({
      data: { verifyImpactEvent: { verification: 'EXPERT_VERIFIED', contributions: points(14, 1, 3, 1, 4) } },
    });
    await impactSettled(supergraph.db.ownerUrl);
    const after = await myReport();
    const mine = await loadImpactEvents(supergraph.db.ownerUrl, 'user_id = $1', [fixture.users.LEARNER.id]);
    expect(after.rest).toEqual(oracleReport('INDIVIDUAL', 'MONTH', after.at, mine));
    expect(after.rest.eventCount).toBe(before.rest.eventCount);
    const sustainability = (report: typeof before) => report.rest.scores.find((score) => score.dimension === 'SUSTAINABILITY')!.score;
    expect(sustainability(after)).toBeGreaterThan(sustainability(before));

    // A learner verifies nothing; an evaluator not their own events.
    expect((await as(learner, VERIFY, { id, level: 'EXPERT_VERIFIED' })).body).toEqual({
      data: null,
      errors: [{ message: 'Not allowed', path: ['verifyImpactEvent'], extensions: { code: 'FORBIDDEN' } }],
    });
    const own = await as(evaluator, RECORD, {
      input: { type: 'SKILL_SHARING', description: 'Asesoría entre pares', quantities: { hours: 2 } },
    });
    const ownId = (own.body.data as { recordImpactEvent: { id: string } }).recordImpactEvent.id;
    expect((await as(evaluator, VERIFY, { id: ownId, level: 'EXPERT_VERIFIED' })).body).toEqual({
      data: null,
      errors: [{ message: 'Nobody verifies their own impact', path: ['verifyImpactEvent'], extensions: { code: 'FORBIDDEN' } }],
    });
  });

  it('refuses events the platform records itself, and verifying them', async () => {
    const tenantId = fixture.tenant.id;
    const recorded = await supergraph.db.database.forTenant(tenantId).run((tx) =>
      tx.impactEvent.create({
        data: {
          tenantId,
          userId: fixture.users.LEARNER.id,
          type: 'COURSE_COMPLETION',
          description: 'Completó el curso «Huertos urbanos»',
          verification: 'EXPERT_VERIFIED',
          sourceKey: `certificate:${fixture.users.LEARNER.id}`,
          occurredAt: new Date(),
          sustainabilityMillipoints: 3000,
          communityMillipoints: 2000,
          regenerativeMillipoints: 2000,
          socialJusticeMillipoints: 5000,
          circularityMillipoints: 2000,
        },
      }),
    );
    expect((await as(evaluator, VERIFY, { id: recorded.id, level: 'SELF_REPORTED' })).body).toEqual({
      data: null,
      errors: [
        { message: 'The platform verified this event when it recorded it', path: ['verifyImpactEvent'], extensions: { code: 'FORBIDDEN' } },
      ],
    });
  });

  it.each([
    [
      'unknown quantities, amounts out of range, fractions of people, platform-only amounts, a future date',
      {
        type: 'SKILL_SHARING',
        description: 'Taller',
        quantities: { tons: 3, hours: -2, participants: 2.5, certifiedCompetencies: 1 },
        occurredAt: '2099-01-01T00:00:00.000Z',
      },
      [
        {
          field: 'quantities.tons',
          message:
            'is not a known quantity (hours, participants, kgCo2eAvoided, kwhSaved, kgWasteDiverted, litersWaterSaved, treesPlanted, squareMetersRestored)',
        },
        { field: 'quantities.hours', message: 'must be a number from 0 to 10000 (h)' },
        { field: 'quantities.participants', message: 'must be a whole number (people)' },
        { field: 'quantities.certifiedCompetencies', message: 'is recorded by the platform, not by people' },
        { field: 'occurredAt', message: 'must not be in the future' },
      ],
    ],
    [
      'an empty description, a course completion, a date before the person joined',
      { type: 'COURSE_COMPLETION', description: '   ', occurredAt: '2001-01-01T00:00:00.000Z' },
      [
        { field: 'description', message: 'must be 1 to 2000 characters' },
        { field: 'type', message: 'course completions are recorded by the platform when a course is completed' },
        { field: 'occurredAt', message: 'must not be before you joined' },
      ],
    ],
    [
      'quantities that are not an object',
      { type: 'SKILL_SHARING', description: 'Taller', quantities: [1, 2] },
      [{ field: 'quantities', message: 'must be an object of named numbers' }],
    ],
  ])('refuses %s, naming every problem', async (_what, input, issues) => {
    expect((await as(learner, RECORD, { input })).body).toEqual({
      data: null,
      errors: [{ message: 'Invalid impact event', path: ['recordImpactEvent'], extensions: { code: 'BAD_USER_INPUT', issues } }],
    });
  });

  it('refuses a community the person does not belong to, and one that does not exist', async () => {
    const other = await supergraph.db.database
      .forTenant(fixture.tenant.id)
      .run((tx) => tx.community.create({ data: { tenantId: fixture.tenant.id, name: 'Otra' } }));
    expect((await as(learner, RECORD, { input: { type: 'SKILL_SHARING', description: 'Taller', communityId: other.id } })).body).toEqual({
      data: null,
      errors: [
        {
          message: 'Invalid impact event',
          path: ['recordImpactEvent'],
          extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'communityId', message: 'must be a community you belong to' }] },
        },
      ],
    });
    for (const communityId of ['00000000-0000-4000-8000-000000000000', 'no-es-un-id']) {
      expect((await as(learner, RECORD, { input: { type: 'SKILL_SHARING', description: 'Taller', communityId } })).body).toEqual({
        data: null,
        errors: [{ message: 'Community not found', path: ['recordImpactEvent'], extensions: { code: 'NOT_FOUND' } }],
      });
    }
  });
});
