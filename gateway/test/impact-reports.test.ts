import pg from 'pg';
import { scoredEvent, QUANTITIES, type EventType, type Granularity, type QuantityName, type Verification } from '@academy/impact-scoring';
import type { Prisma } from '@academy/platform';
import { ImpactAggregation } from '@academy/subgraph-impact';
import {
  createTenant,
  httpRequest,
  impactSettled,
  impactSnapshot,
  loadImpactEvents,
  oracleReport,
  startSupergraph,
  TEST_PASSWORD,
  type ExpectedReport,
  type RunningSupergraph,
  type TestTenant,
} from '@academy/testing';

const REPORT = `scope period from to overall scores { dimension score } eventCount participantCount
  trend { periodStart overall eventCount scores { dimension score } participantCount }`;
const PERIODS: Granularity[] = ['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR', 'ALL_TIME'];
const TYPES: EventType[] = ['COURSE_COMPLETION', 'COMMUNITY_PROJECT', 'SKILL_SHARING', 'SUSTAINABILITY_ACTION', 'REGENERATIVE_PROJECT'];
const LEVELS: Verification[] = ['SELF_REPORTED', 'PEER_VERIFIED', 'EXPERT_VERIFIED'];
const DAY_MS = 86_400_000;

/** A deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Report = ExpectedReport & { to: string };

/** A report as the API returns it, without `to` (the instant it was computed), and that instant. */
function split(report: Report): { at: Date; rest: ExpectedReport } {
  const { to, ...rest } = report;
  return { at: new Date(to), rest };
}

describe('impact reports of a generated tenant (thousands of events)', () => {
  let supergraph: RunningSupergraph;
  let fixture: TestTenant;
  let tenantId: string;
  let adminToken: string;
  let learnerToken: string;
  const communities: string[] = [];
  const people: string[] = [];

  const eventsOf = (where: string, values: unknown[] = []) => loadImpactEvents(supergraph.db.ownerUrl, where, values);
  const report = async (args: string, token = adminToken): Promise<Report> => {
    const response = await supergraph.request<{ impactReport: Report }>(`{ impactReport(${args}) { ${REPORT} } }`, {
      token,
      tenant: fixture.tenant.slug,
    });
    expect(response.body.errors).toBeUndefined();
    return response.body.data!.impactReport;
  };

  beforeAll(async () => {
    supergraph = await startSupergraph({ isolated: true, conocer: {} });
    const { database } = supergraph.db;
    fixture = await createTenant(database);
    tenantId = fixture.tenant.id;
    const next = random(20261122);
    const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)]!;

    // 41 people (one per persona and 36 learners), 3 communities; most people belong to one, some to none.
    const membership = new Map<string, string | null>();
    await database.forTenant(tenantId).run(async (tx) => {
      for (const name of ['Huerto La Esperanza', 'Cooperativa Textil Raíces', 'Brigada Ríos Limpios']) {
        communities.push((await tx.community.create({ data: { tenantId, name } })).id);
      }
      const learners = Array.from({ length: 36 }, (_, i) => ({
        tenantId,
        email: `persona${i}@${fixture.tenant.slug}.test`,
        name: `Persona ${i}`,
        passwordHash: 'x',
        persona: 'LEARNER' as const,
      }));
      await tx.user.createMany({ data: learners });
      const everyone = await tx.user.findMany({ where: { tenantId }, orderBy: { email: 'asc' } });
      everyone.forEach((user, i) => {
        people.push(user.id);
        membership.set(user.id, i % 4 === 3 ? null : communities[i % 3]!);
      });
      await tx.communityMembership.createMany({
        data: everyone
          .filter((user) => membership.get(user.id))
          .map((user) => ({ tenantId, userId: user.id, communityId: membership.get(user.id)! })),
      });
    });

    // 3,000 events over two years, a fifth of them this month and some today, in 6 statements.
    const now = Date.now();
    const rows: Prisma.ImpactEventCreateManyInput[] = Array.from({ length: 3000 }, (_, i) => {
      const userId = pick(people);
      const type = pick(TYPES);
      const verification = pick(LEVELS);
      const quantities: Record<string, number> = {};
      for (const name of Object.keys(QUANTITIES) as QuantityName[]) {
        const spec = QUANTITIES[name];
        if (!spec.platformOnly && next() < 0.3)
          quantities[name] = spec.integer ? 1 + Math.floor(next() * 200) : Math.round(next() * 500 * 100) / 100;
      }
      const ago = i % 10 === 0 ? next() * 2 * DAY_MS : i % 5 === 0 ? next() * 30 * DAY_MS : next() * 730 * DAY_MS;
      return {
        tenantId,
        userId,
        communityId: next() < 0.75 ? membership.get(userId)! : null,
        type,
        description: `Evento ${i}`,
        verification,
        quantities,
        occurredAt: new Date(now - 60_000 - ago),
        ...scoredEvent({ type, verification, quantities }),
      };
    });
    for (let i = 0; i < rows.length; i += 500) {
      await database.forTenant(tenantId).run((tx) => tx.impactEvent.createMany({ data: rows.slice(i, i + 500) }));
    }

    // Then changes: 300 events re-verified (rescored), moved a few days or out of their community, and 200 deleted.
    const stored = await database.forTenant(tenantId).run((tx) => tx.impactEvent.findMany({ where: { tenantId }, orderBy: { id: 'asc' } }));
    const changed = stored.slice(0, 300).map((event, i) => {
      const verification = pick(LEVELS);
      return {
        id: event.id,
        verification,
        communityId: i % 7 === 0 ? null : event.communityId,
        occurredAt: i % 5 === 0 ? new Date(event.occurredAt.getTime() - 3 * DAY_MS) : event.occurredAt,
        points: scoredEvent({ type: event.type, verification, quantities: event.quantities as Record<string, unknown> }),
      };
    });
    await database.forTenant(tenantId).run(
      (tx) => tx.$executeRaw`
        UPDATE impact_events e SET verification = c.verification::"VerificationLevel", community_id = c.community_id, occurred_at = c.occurred_at,
          sustainability_millipoints = c.s, community_millipoints = c.c, regenerative_millipoints = c.r, social_justice_millipoints = c.j, circularity_millipoints = c.ci
        FROM unnest(${changed.map((c) => c.id)}::uuid[], ${changed.map((c) => c.verification)}::text[], ${changed.map((c) => c.communityId)}::uuid[],
          ${changed.map((c) => c.occurredAt)}::timestamptz[], ${changed.map((c) => c.points.sustainabilityMillipoints)}::int[],
          ${changed.map((c) => c.points.communityMillipoints)}::int[], ${changed.map((c) => c.points.regenerativeMillipoints)}::int[],
          ${changed.map((c) => c.points.socialJusticeMillipoints)}::int[], ${changed.map((c) => c.points.circularityMillipoints)}::int[])
          AS c(id, verification, community_id, occurred_at, s, c, r, j, ci)
        WHERE e.id = c.id AND e.tenant_id = ${tenantId}::uuid`,
    );
    await database
      .forTenant(tenantId)
      .run((tx) => tx.impactEvent.deleteMany({ where: { tenantId, id: { in: stored.slice(2800).map((event) => event.id) } } }));

    await impactSettled(supergraph.db.ownerUrl);
    adminToken = await supergraph.login(fixture.users.TENANT_ADMIN.email, TEST_PASSWORD, fixture.tenant.slug);
    learnerToken = await supergraph.login(fixture.users.LEARNER.email, TEST_PASSWORD, fixture.tenant.slug);
  }, 120_000);
  afterAll(() => supergraph?.close());

  it('has what it was built with: 2,800 events of 41 people, in 3 communities and none', async () => {
    const events = await eventsOf('tenant_id = $1', [tenantId]);
    expect({
      events: events.length,
      people: new Set(events.map((e) => e.userId)).size,
      communities: new Set(events.map((e) => e.communityId)).size,
    }).toEqual({
      events: 2800,
      people: 41,
      communities: 4,
    });
  });

  it.each(PERIODS)('the tenant report for %s equals the documented formulas over its raw events', async (period) => {
    const events = await eventsOf('tenant_id = $1', [tenantId]);
    const { at, rest } = split(await report(`scope: TENANT, period: ${period}`));
    expect(rest).toEqual(oracleReport('TENANT', period, at, events));
  });

  it.each(PERIODS)('each community report for %s equals the formulas over the community events', async (period) => {
    for (const communityId of communities) {
      const events = await eventsOf('tenant_id = $1 AND community_id = $2', [tenantId, communityId]);
      const { at, rest } = split(await report(`scope: COMMUNITY, period: ${period}, communityId: "${communityId}"`));
      expect(rest).toEqual(oracleReport('COMMUNITY', period, at, events));
    }
  });

  it.each(PERIODS)('individual reports for %s equal the formulas over the person events', async (period) => {
    for (const userId of [people[0]!, people[17]!, fixture.users.LEARNER.id]) {
      const events = await eventsOf('tenant_id = $1 AND user_id = $2', [tenantId, userId]);
      const { at, rest } = split(await report(`scope: INDIVIDUAL, period: ${period}, userId: "${userId}"`));
      expect(rest).toEqual(oracleReport('INDIVIDUAL', period, at, events));
    }
    // A person's own, without naming them.
    const own = await eventsOf('tenant_id = $1 AND user_id = $2', [tenantId, fixture.users.LEARNER.id]);
    const { at, rest } = split(await report(`scope: INDIVIDUAL, period: ${period}`, learnerToken));
    expect(rest).toEqual(oracleReport('INDIVIDUAL', period, at, own));
  });

  it('User.impact and Community.impact are the same reports, batched', async () => {
    const response = await supergraph.request<{ communities: { id: string; impact: Report }[]; user: { impact: Report } }>(
      `query($id: ID!) { communities { id impact(period: MONTH) { ${REPORT} } } user(id: $id) { impact(period: YEAR) { ${REPORT} } } }`,
      { token: adminToken, tenant: fixture.tenant.slug, variables: { id: people[5] } },
    );
    expect(response.body.errors).toBeUndefined();
    const { communities: listed, user } = response.body.data!;
    expect(listed.map((c) => c.id).sort()).toEqual([...communities].sort());
    for (const community of listed) {
      const { at, rest } = split(community.impact);
      expect(rest).toEqual(
        oracleReport('COMMUNITY', 'MONTH', at, await eventsOf('tenant_id = $1 AND community_id = $2', [tenantId, community.id])),
      );
    }
    const { at, rest } = split(user.impact);
    expect(rest).toEqual(oracleReport('INDIVIDUAL', 'YEAR', at, await eventsOf('tenant_id = $1 AND user_id = $2', [tenantId, people[5]])));
  });

  it.each(['QUARTER', 'ALL_TIME'] as const)('the GLOBAL report for %s sums every tenant, for platform admins only', async (period) => {
    const platformToken = await supergraph.login(fixture.users.PLATFORM_ADMIN.email, TEST_PASSWORD, fixture.tenant.slug);
    const events = await eventsOf('true');
    const { at, rest } = split(await report(`scope: GLOBAL, period: ${period}`, platformToken));
    expect(rest).toEqual(oracleReport('GLOBAL', period, at, events));
    expect(rest.participantCount).toBeGreaterThan(41);

    const refused = await supergraph.request(`{ impactReport(scope: GLOBAL, period: ${period}) { overall } }`, {
      token: adminToken,
      tenant: fixture.tenant.slug,
    });
    expect(refused.body).toEqual({
      data: null,
      errors: [{ message: 'GLOBAL reports are for platform admins', path: ['impactReport'], extensions: { code: 'FORBIDDEN' } }],
    });
  });

  it('a learner sees their own report but not another person’s', async () => {
    const other = people.find((id) => id !== fixture.users.LEARNER.id)!;
    const response = await supergraph.request(`{ impactReport(scope: INDIVIDUAL, userId: "${other}") { overall } }`, {
      token: learnerToken,
      tenant: fixture.tenant.slug,
    });
    expect(response.body).toEqual({
      data: null,
      errors: [
        { message: "Only the person and admins see an individual's report", path: ['impactReport'], extensions: { code: 'FORBIDDEN' } },
      ],
    });
  });

  describe('CSV export', () => {
    const download = (path: string, token?: string, headers: Record<string, string> = { 'x-tenant': fixture.tenant.slug }) =>
      httpRequest(`${supergraph.origin}${path}`, { headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });

    it('gives a tenant admin the period and its trend, one row each, as the report says', async () => {
      const events = await eventsOf('tenant_id = $1', [tenantId]);
      const response = await download('/exports/impact-report.csv?scope=TENANT&period=MONTH', adminToken);
      expect(response.status).toBe(200);
      const lines = response.text.split('\r\n');
      expect(lines.pop()).toBe('');
      const to = lines[1]!.split(',')[3]!;
      expect({
        type: response.headers['content-type'],
        disposition: response.headers['content-disposition'],
        cache: response.headers['cache-control'],
      }).toEqual({
        type: 'text/csv; charset=utf-8',
        disposition: `attachment; filename="impact-${fixture.tenant.slug}-tenant-month-${to.slice(0, 10)}.csv"`,
        cache: 'private, no-store',
      });
      const expected = oracleReport('TENANT', 'MONTH', new Date(to), events);
      const row = (
        kind: string,
        start: string,
        scored: { eventCount: number; participantCount: number; overall: number; scores: { score: number }[] },
      ) =>
        [
          'TENANT',
          'MONTH',
          expected.from,
          to,
          kind,
          start,
          scored.eventCount,
          scored.participantCount,
          scored.overall,
          ...scored.scores.map((s) => s.score),
        ].join(',');
      expect(lines).toEqual([
        'scope,period,from,to,row,period_start,event_count,participant_count,overall,sustainability,community,regenerative,social_justice,circularity',
        row('total', expected.from!, expected),
        ...expected.trend.map((point) => row('trend', point.periodStart, point)),
      ]);
    });

    it('answers under /t/<tenant>/ too, for a community', async () => {
      const response = await download(
        `/t/${fixture.tenant.slug}/exports/impact-report.csv?scope=COMMUNITY&period=ALL_TIME&communityId=${communities[1]}`,
        adminToken,
        {},
      );
      expect(response.status).toBe(200);
      expect(response.text.split('\r\n')[1]!.startsWith('COMMUNITY,ALL_TIME,,')).toBe(true);
    });

    it.each([
      ['without a token', undefined, '?scope=TENANT', 401, 'UNAUTHENTICATED', 'Authentication required'],
      ['for a learner', 'learner', '?scope=TENANT', 403, 'FORBIDDEN', 'Only tenant and platform admins export reports'],
      [
        'for a period that does not exist',
        'admin',
        '?scope=TENANT&period=DECADE',
        400,
        'BAD_USER_INPUT',
        'period must be one of DAY, WEEK, MONTH, QUARTER, YEAR, ALL_TIME',
      ],
      [
        'for a community report without the community',
        'admin',
        '?scope=COMMUNITY',
        400,
        'BAD_USER_INPUT',
        'A COMMUNITY report needs communityId',
      ],
      ['for a community of nobody', 'admin', '?scope=COMMUNITY&communityId=abc', 404, 'NOT_FOUND', 'Community not found'],
      ['for GLOBAL, as a tenant admin', 'admin', '?scope=GLOBAL', 403, 'FORBIDDEN', 'GLOBAL reports are for platform admins'],
    ])('refuses %s, with the code', async (_what, who, query, status, code, message) => {
      const token = who === 'admin' ? adminToken : who === 'learner' ? learnerToken : undefined;
      const response = await download(`/exports/impact-report.csv${query}`, token);
      expect({ status: response.status, body: JSON.parse(response.text) }).toEqual({
        status,
        body: { errors: [{ message, extensions: { code } }] },
      });
    });
  });

  describe('aggregation', () => {
    const all: Granularity[] = ['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR', 'ALL_TIME'];
    const nothing = [
      { relation: 'impact_user_days', inserted: 0, updated: 0, deleted: 0 },
      { relation: 'impact_aggregates', inserted: 0, updated: 0, deleted: 0 },
    ];

    it('the incremental path and the full recompute agree exactly', async () => {
      const incremental = await impactSnapshot(supergraph.db.ownerUrl, [tenantId]);
      expect(incremental.aggregates.length).toBeGreaterThan(1000);
      const aggregation = new ImpactAggregation(supergraph.db.database, { info: () => undefined, warn: () => undefined });
      expect(await aggregation.rollup(all, new Date(0))).toEqual(nothing);
      expect(await impactSnapshot(supergraph.db.ownerUrl, [tenantId])).toEqual(incremental);
    });

    it('the scheduled rollups repair drift in their own buckets, and the monthly one everywhere', async () => {
      const before = await impactSnapshot(supergraph.db.ownerUrl, [tenantId]);
      const owner = new pg.Client({ connectionString: supergraph.db.ownerUrl });
      await owner.connect();
      try {
        const today = new Date().toISOString().slice(0, 10);
        // Drift of three kinds: a wrong count this week, a wrong sum this month, days lost long ago.
        await owner.query(
          `UPDATE impact_aggregates SET participant_count = participant_count + 1 WHERE scope = 'TENANT' AND subject_id = $1 AND granularity = 'DAY'
             AND period_start = (SELECT max(period_start) FROM impact_aggregates WHERE scope = 'TENANT' AND subject_id = $1 AND granularity = 'DAY')`,
          [tenantId],
        );
        await owner.query(
          `UPDATE impact_aggregates SET sustainability_millipoints = 0 WHERE scope = 'COMMUNITY' AND subject_id = $1 AND granularity = 'MONTH'
             AND period_start = (SELECT max(period_start) FROM impact_aggregates WHERE scope = 'COMMUNITY' AND subject_id = $1 AND granularity = 'MONTH')`,
          [communities[0]],
        );
        const lost = await owner.query(
          `DELETE FROM impact_user_days WHERE tenant_id = $1 AND day = (SELECT min(day) FROM impact_user_days WHERE tenant_id = $1 AND day < $2::date - 400)`,
          [tenantId, today],
        );
        expect(lost.rowCount).toBeGreaterThan(0);

        const queueEvents = supergraph.queues.events('impact');
        await queueEvents.waitUntilReady();
        try {
          const run = async (granularities: Granularity[], sinceDays: number | null) =>
            (await supergraph.queues.impact.add('rollup', { task: 'rollup', granularities, sinceDays })).waitUntilFinished(
              queueEvents,
              60_000,
            );
          expect(await run(['DAY', 'WEEK'], 8)).toEqual([
            { relation: 'impact_user_days', inserted: 0, updated: 0, deleted: 0 },
            { relation: 'impact_aggregates', inserted: 0, updated: 1, deleted: 0 },
          ]);
          expect(await run(['MONTH', 'QUARTER'], 35)).toEqual([
            { relation: 'impact_user_days', inserted: 0, updated: 0, deleted: 0 },
            { relation: 'impact_aggregates', inserted: 0, updated: 1, deleted: 0 },
          ]);
          expect(await run(all, null)).toEqual([
            { relation: 'impact_user_days', inserted: lost.rowCount, updated: 0, deleted: 0 },
            { relation: 'impact_aggregates', inserted: 0, updated: 0, deleted: 0 },
          ]);
          expect(await run(all, null)).toEqual(nothing);
        } finally {
          await queueEvents.close();
        }
      } finally {
        await owner.end();
      }
      expect(await impactSnapshot(supergraph.db.ownerUrl, [tenantId])).toEqual(before);
    });
  });
});
