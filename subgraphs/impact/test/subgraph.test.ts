import {
  createTenant,
  GATEWAY_BOUNDARY,
  oraclePoints,
  oracleReport,
  startSubgraph,
  uniqueId,
  type OracleEvent,
  type RunningSubgraph,
  type TestTenant,
} from '@academy/testing';

const REPORT =
  'scope period from to overall scores { dimension score } eventCount participantCount trend { periodStart overall eventCount scores { dimension score } participantCount }';

interface Report {
  to: string;
}

/** What a report of `events` says at the report's own `to` (the documented formulas, from raw events). */
const expectedReport = (report: Report | undefined, scope: string, period: 'DAY' | 'ALL_TIME', events: OracleEvent[]) => ({
  ...oracleReport(scope, period, new Date(report!.to), events),
  to: report!.to,
});

/**
 * The impact subgraph on its own, as the gateway calls it: entities, who sees which report. The
 * aggregates reports read are built by the workers (not running here): this tenant's are written
 * directly, as the workers would leave them for one event in 2001.
 */
describe('impact subgraph', () => {
  let subgraph: RunningSubgraph;
  let fixture: TestTenant;
  let other: TestTenant;
  let community: string;
  let otherCommunity: string;
  let event: OracleEvent;
  beforeAll(async () => {
    subgraph = await startSubgraph('impact');
    [fixture, other] = await Promise.all([createTenant(subgraph.db.database), createTenant(subgraph.db.database)]);
    const tenantId = fixture.tenant.id;
    otherCommunity = (
      await subgraph.db.database
        .forTenant(other.tenant.id)
        .run((tx) => tx.community.create({ data: { tenantId: other.tenant.id, name: 'Otra comunidad' } }))
    ).id;
    await subgraph.db.database.forTenant(tenantId).run(async (tx) => {
      community = (await tx.community.create({ data: { tenantId, name: 'Huerto La Esperanza' } })).id;
      await tx.communityMembership.create({ data: { tenantId, communityId: community, userId: fixture.users.LEARNER.id } });
      event = {
        userId: fixture.users.LEARNER.id,
        communityId: community,
        type: 'SKILL_SHARING',
        verification: 'SELF_REPORTED',
        quantities: { hours: 2 },
        occurredAt: new Date(Date.UTC(2001, 2, 15)),
      };
      const points = oraclePoints(event);
      const sums = {
        eventCount: 1,
        sustainabilityMillipoints: points.SUSTAINABILITY,
        communityMillipoints: points.COMMUNITY,
        regenerativeMillipoints: points.REGENERATIVE,
        socialJusticeMillipoints: points.SOCIAL_JUSTICE,
        circularityMillipoints: points.CIRCULARITY,
      };
      await tx.impactUserDay.create({
        data: { tenantId, userId: fixture.users.LEARNER.id, communityId: community, day: event.occurredAt, ...sums },
      });
      for (const [scope, subjectId] of [
        ['COMMUNITY', community],
        ['TENANT', tenantId],
      ] as const) {
        await tx.impactAggregate.create({
          data: { tenantId, scope, subjectId, granularity: 'ALL_TIME', periodStart: new Date(0), participantCount: 1, ...sums },
        });
        await tx.impactAggregate.create({
          data: {
            tenantId,
            scope,
            subjectId,
            granularity: 'YEAR',
            periodStart: new Date(Date.UTC(2001, 0, 1)),
            participantCount: 1,
            ...sums,
          },
        });
      }
    });
  });
  afterAll(() => subgraph?.close());

  const as = (persona: keyof TestTenant['users'], tenant = fixture) => ({ tenant: tenant.tenant, viewer: tenant.users[persona] });
  const anonymous = () => ({ tenant: fixture.tenant });

  it('answers only requests the gateway signed', async () => {
    expect(await subgraph.boundary(fixture.tenant)).toEqual(GATEWAY_BOUNDARY);
  });

  it('has a rule for every field', () => {
    expect(subgraph.ruleCoverage()).toEqual({ withoutRule: [], stale: [] });
  });

  describe('entities', () => {
    const ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on User { id impact { ${REPORT} } }
      ... on Community { id impact { ${REPORT} } }
    } }`;
    type Entities = { _entities: ({ id: string; impact: Report } | null)[] };

    it("resolves a person's impact for the person and admins, and a community's for anyone signed in", async () => {
      const representations = [
        { __typename: 'User', id: fixture.users.LEARNER.id },
        { __typename: 'Community', id: community },
      ];
      for (const persona of ['LEARNER', 'TENANT_ADMIN', 'PLATFORM_ADMIN'] as const) {
        const response = await subgraph.request<Entities>(ENTITIES, { variables: { representations }, ...as(persona) });
        const [person, group] = response.body.data!._entities;
        expect({ persona, body: response.body }).toEqual({
          persona,
          body: {
            data: {
              _entities: [
                { id: fixture.users.LEARNER.id, impact: expectedReport(person?.impact, 'INDIVIDUAL', 'ALL_TIME', [event]) },
                { id: community, impact: expectedReport(group?.impact, 'COMMUNITY', 'ALL_TIME', [event]) },
              ],
            },
          },
        });
      }
      for (const persona of ['INSTRUCTOR', 'EVALUATOR'] as const) {
        const response = await subgraph.request<Entities>(ENTITIES, { variables: { representations }, ...as(persona) });
        const group = response.body.data!._entities[1];
        expect({ persona, body: response.body }).toEqual({
          persona,
          body: {
            data: { _entities: [null, { id: community, impact: expectedReport(group?.impact, 'COMMUNITY', 'ALL_TIME', [event]) }] },
            errors: [
              { message: 'Only the person and admins see this', path: ['_entities', 0, 'impact'], extensions: { code: 'FORBIDDEN' } },
            ],
          },
        });
      }
    });

    it('gives the anonymous nothing', async () => {
      for (const representation of [
        { __typename: 'User', id: fixture.users.LEARNER.id },
        { __typename: 'Community', id: community },
      ]) {
        const query = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${representation.__typename} { impact { overall } } } }`;
        expect((await subgraph.request(query, { variables: { representations: [representation] }, ...anonymous() })).body).toEqual({
          data: { _entities: [null] },
          errors: [{ message: 'Authentication required', path: ['_entities', 0, 'impact'], extensions: { code: 'UNAUTHENTICATED' } }],
        });
      }
    });

    it("shows nothing of another tenant's person or community, nor of unknown ids: their reports are empty", async () => {
      const representations = [
        { __typename: 'User', id: fixture.users.LEARNER.id },
        { __typename: 'Community', id: community },
        { __typename: 'User', id: uniqueId() },
        { __typename: 'Community', id: uniqueId() },
      ];
      const response = await subgraph.request<Entities>(ENTITIES, { variables: { representations }, ...as('TENANT_ADMIN', other) });
      const reports = response.body.data!._entities;
      expect(response.body).toEqual({
        data: {
          _entities: representations.map((representation, i) => ({
            id: representation.id,
            impact: expectedReport(reports[i]?.impact, representation.__typename === 'User' ? 'INDIVIDUAL' : 'COMMUNITY', 'ALL_TIME', []),
          })),
        },
      });
    });
  });

  describe('impactReport', () => {
    const QUERY = `query ($scope: ImpactScope!, $period: ReportPeriod, $communityId: ID, $userId: ID) {
      impactReport(scope: $scope, period: $period, communityId: $communityId, userId: $userId) { ${REPORT} }
    }`;
    type Answer = { impactReport: Report };
    const report = (
      variables: Record<string, unknown>,
      options: { tenant: TestTenant['tenant']; viewer?: TestTenant['users']['LEARNER'] },
    ) => subgraph.request<Answer>(QUERY, { variables, ...options }).then((response) => response.body);
    const refused = (message: string, code: string, extra: Record<string, unknown> = {}) => ({
      data: null,
      errors: [{ message, path: ['impactReport'], extensions: { code, ...extra } }],
    });

    it("gives anyone signed in the tenant's and a community's report", async () => {
      for (const persona of ['LEARNER', 'INSTRUCTOR', 'EVALUATOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'] as const) {
        const tenant = await report({ scope: 'TENANT' }, as(persona));
        const group = await report({ scope: 'COMMUNITY', communityId: community }, as(persona));
        expect({ persona, tenant, group }).toEqual({
          persona,
          tenant: { data: { impactReport: expectedReport(tenant.data?.impactReport, 'TENANT', 'ALL_TIME', [event]) } },
          group: { data: { impactReport: expectedReport(group.data?.impactReport, 'COMMUNITY', 'ALL_TIME', [event]) } },
        });
      }
    });

    it('is all zeros, with one trend point per sub-period, for a tenant where nothing happened', async () => {
      const fresh = await createTenant(subgraph.db.database);
      for (const period of ['DAY', 'ALL_TIME'] as const) {
        const body = await report({ scope: 'TENANT', period }, as('LEARNER', fresh));
        expect({ period, body }).toEqual({
          period,
          body: { data: { impactReport: expectedReport(body.data?.impactReport, 'TENANT', period, []) } },
        });
      }
      const day = await report({ scope: 'INDIVIDUAL', period: 'DAY' }, as('LEARNER', fresh));
      expect(day).toEqual({
        data: {
          impactReport: {
            scope: 'INDIVIDUAL',
            period: 'DAY',
            from: `${day.data!.impactReport.to.slice(0, 10)}T00:00:00.000Z`,
            to: day.data!.impactReport.to,
            overall: 0,
            scores: ['SUSTAINABILITY', 'COMMUNITY', 'REGENERATIVE', 'SOCIAL_JUSTICE', 'CIRCULARITY'].map((dimension) => ({
              dimension,
              score: 0,
            })),
            eventCount: 0,
            participantCount: 0,
            trend: [
              {
                periodStart: `${day.data!.impactReport.to.slice(0, 10)}T00:00:00.000Z`,
                overall: 0,
                eventCount: 0,
                scores: ['SUSTAINABILITY', 'COMMUNITY', 'REGENERATIVE', 'SOCIAL_JUSTICE', 'CIRCULARITY'].map((dimension) => ({
                  dimension,
                  score: 0,
                })),
                participantCount: 0,
              },
            ],
          },
        },
      });
    });

    it("gives a person's report to the person and admins only", async () => {
      for (const [persona, variables] of [
        ['LEARNER', { scope: 'INDIVIDUAL' }],
        ['LEARNER', { scope: 'INDIVIDUAL', userId: fixture.users.LEARNER.id }],
        ['TENANT_ADMIN', { scope: 'INDIVIDUAL', userId: fixture.users.LEARNER.id }],
        ['PLATFORM_ADMIN', { scope: 'INDIVIDUAL', userId: fixture.users.LEARNER.id }],
      ] as const) {
        const body = await report(variables, as(persona));
        expect({ persona, body }).toEqual({
          persona,
          body: { data: { impactReport: expectedReport(body.data?.impactReport, 'INDIVIDUAL', 'ALL_TIME', [event]) } },
        });
      }
      for (const persona of ['INSTRUCTOR', 'EVALUATOR'] as const) {
        expect({ persona, body: await report({ scope: 'INDIVIDUAL', userId: fixture.users.LEARNER.id }, as(persona)) }).toEqual({
          persona,
          body: refused("Only the person and admins see an individual's report", 'FORBIDDEN'),
        });
      }
      // Their own (empty) report, to anyone.
      const own = await report({ scope: 'INDIVIDUAL' }, as('EVALUATOR'));
      expect(own).toEqual({ data: { impactReport: expectedReport(own.data?.impactReport, 'INDIVIDUAL', 'ALL_TIME', []) } });
    });

    it('gives GLOBAL reports to platform admins only, through the audited bypass', async () => {
      for (const persona of ['LEARNER', 'INSTRUCTOR', 'EVALUATOR', 'TENANT_ADMIN'] as const) {
        expect({ persona, body: await report({ scope: 'GLOBAL' }, as(persona)) }).toEqual({
          persona,
          body: refused('GLOBAL reports are for platform admins', 'FORBIDDEN'),
        });
      }
      // Its numbers are every tenant's, which other test files change: only what is known of it.
      const response = await subgraph.request('{ impactReport(scope: GLOBAL) { scope period from } }', as('PLATFORM_ADMIN'));
      expect(response.body).toEqual({ data: { impactReport: { scope: 'GLOBAL', period: 'ALL_TIME', from: null } } });
      const audit = await subgraph.db.database.asPlatform(
        { actorId: 'system:test', action: 'test.read-audit', reason: 'Check the GLOBAL report was audited' },
        (tx) =>
          tx.auditLog.findMany({
            where: { actorId: fixture.users.PLATFORM_ADMIN.id },
            select: { tenantId: true, actorPersona: true, action: true, reason: true, targetType: true, metadata: true },
          }),
      );
      expect(audit).toEqual([
        {
          tenantId: null,
          actorPersona: 'PLATFORM_ADMIN',
          action: 'impact.report.global',
          reason: 'GLOBAL impact report (ALL_TIME)',
          targetType: 'ImpactReport',
          metadata: { bypass: true },
        },
      ]);
    });

    it('needs a community for COMMUNITY, and knows no community or person of another tenant or none at all', async () => {
      expect(await report({ scope: 'COMMUNITY' }, as('LEARNER'))).toEqual(
        refused('A COMMUNITY report needs communityId', 'BAD_USER_INPUT', {
          issues: [{ field: 'communityId', message: 'required for COMMUNITY' }],
        }),
      );
      for (const communityId of [otherCommunity, uniqueId(), 'not-a-uuid']) {
        expect({ communityId, body: await report({ scope: 'COMMUNITY', communityId }, as('TENANT_ADMIN')) }).toEqual({
          communityId,
          body: refused('Community not found', 'NOT_FOUND'),
        });
      }
      for (const userId of [other.users.LEARNER.id, uniqueId()]) {
        expect({ userId, body: await report({ scope: 'INDIVIDUAL', userId }, as('TENANT_ADMIN')) }).toEqual({
          userId,
          body: refused('User not found', 'NOT_FOUND'),
        });
      }
    });

    it('refuses the anonymous, whatever the scope', async () => {
      for (const scope of ['INDIVIDUAL', 'COMMUNITY', 'TENANT', 'GLOBAL']) {
        expect({ scope, body: await report({ scope, communityId: community }, anonymous()) }).toEqual({
          scope,
          body: refused('Authentication required', 'UNAUTHENTICATED'),
        });
      }
    });
  });
});
