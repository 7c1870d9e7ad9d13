import type { ImpactEventType, VerificationLevel } from '@academy/platform';
import { createTenant, oraclePoints, startSubgraph, uniqueId, type RunningSubgraph, type TestTenant } from '@academy/testing';

const points = (sustainability: number, community: number, regenerative: number, socialJustice: number, circularity: number) => [
  { dimension: 'SUSTAINABILITY', score: sustainability },
  { dimension: 'COMMUNITY', score: community },
  { dimension: 'REGENERATIVE', score: regenerative },
  { dimension: 'SOCIAL_JUSTICE', score: socialJustice },
  { dimension: 'CIRCULARITY', score: circularity },
];

const RECORD = `mutation ($input: RecordImpactEventInput!) {
  recordImpactEvent(input: $input) { id type user { id } description verification occurredAt contributions { dimension score } quantities }
}`;
const VERIFY =
  'mutation ($id: ID!, $level: VerificationLevel!) { verifyImpactEvent(id: $id, level: $level) { id verification contributions { dimension score } } }';
const EVENTS =
  'query ($userId: ID, $first: Int, $after: String) { impactEvents(userId: $userId, first: $first, after: $after) { id type description occurredAt } }';

/** People's own impact events through the impact subgraph: recorded, listed, verified by staff. */
describe('impact subgraph: the ledger', () => {
  let subgraph: RunningSubgraph;
  beforeAll(async () => {
    subgraph = await startSubgraph('impact');
  });
  afterAll(() => subgraph?.close());

  const as = (fixture: TestTenant, persona: keyof TestTenant['users']) => ({ tenant: fixture.tenant, viewer: fixture.users[persona] });
  const refused = (field: string, message: string, code: string, extra: Record<string, unknown> = {}) => ({
    data: null,
    errors: [{ message, path: [field], extensions: { code, ...extra } }],
  });

  /** A fresh tenant whose people joined a year ago, the LEARNER in two communities (the first joined earlier). */
  const tenantWithCommunities = async () => {
    const fixture = await createTenant(subgraph.db.database);
    const tenantId = fixture.tenant.id;
    const communities = await subgraph.db.database.forTenant(tenantId).run(async (tx) => {
      await tx.user.updateMany({ data: { createdAt: new Date(Date.now() - 365 * 86_400_000) } });
      const first = await tx.community.create({ data: { tenantId, name: 'Huerto La Esperanza' } });
      const second = await tx.community.create({ data: { tenantId, name: 'Brigada Ríos Limpios' } });
      await tx.communityMembership.create({
        data: { tenantId, communityId: first.id, userId: fixture.users.LEARNER.id, joinedAt: new Date(Date.now() - 86_400_000) },
      });
      await tx.communityMembership.create({ data: { tenantId, communityId: second.id, userId: fixture.users.LEARNER.id } });
      const notMine = await tx.community.create({ data: { tenantId, name: 'Cooperativa Solar' } });
      return { first: first.id, second: second.id, notMine: notMine.id };
    });
    return { fixture, communities };
  };

  /** An event written directly (scored), as the platform or an earlier request left it. */
  const eventOf = (
    fixture: TestTenant,
    userId: string,
    data: { type?: ImpactEventType; occurredAt?: Date; sourceKey?: string; verification?: VerificationLevel; description?: string } = {},
  ) => {
    const event = {
      type: data.type ?? 'SKILL_SHARING',
      verification: data.verification ?? 'SELF_REPORTED',
      quantities: { hours: 2 },
    } as const;
    const scored = oraclePoints(event);
    return subgraph.db.database.forTenant(fixture.tenant.id).run((tx) =>
      tx.impactEvent.create({
        data: {
          tenantId: fixture.tenant.id,
          userId,
          ...event,
          description: data.description ?? 'Taller de compostaje',
          occurredAt: data.occurredAt ?? new Date(),
          ...(data.sourceKey ? { sourceKey: data.sourceKey } : {}),
          sustainabilityMillipoints: scored.SUSTAINABILITY,
          communityMillipoints: scored.COMMUNITY,
          regenerativeMillipoints: scored.REGENERATIVE,
          socialJusticeMillipoints: scored.SOCIAL_JUSTICE,
          circularityMillipoints: scored.CIRCULARITY,
        },
      }),
    );
  };
  const stored = (fixture: TestTenant, id: string) =>
    subgraph.db.database.forTenant(fixture.tenant.id).run((tx) =>
      tx.impactEvent.findUniqueOrThrow({
        where: { id },
        select: { communityId: true, verification: true, verifiedById: true, verifiedAt: true },
      }),
    );

  describe('recordImpactEvent', () => {
    it("scores a person's self-reported event and counts it for their first community, or the one they name", async () => {
      const { fixture, communities } = await tenantWithCommunities();
      const response = await subgraph.request<{ recordImpactEvent: { id: string; occurredAt: string } }>(RECORD, {
        variables: { input: { type: 'SKILL_SHARING', description: '  Taller de compostaje  ', quantities: { hours: 2 } } },
        ...as(fixture, 'LEARNER'),
      });
      expect(response.body).toEqual({
        data: {
          recordImpactEvent: {
            id: expect.any(String),
            type: 'SKILL_SHARING',
            user: { id: fixture.users.LEARNER.id },
            description: 'Taller de compostaje',
            verification: 'SELF_REPORTED',
            occurredAt: expect.any(String),
            // (base 1, 6, 1, 5, 2; 2 hours add 1 community and 1.5 social justice) × 0.5 self-reported
            contributions: points(0.5, 3.5, 0.5, 3.25, 1),
            quantities: { hours: 2 },
          },
        },
      });
      const recorded = response.body.data!.recordImpactEvent;
      expect(Math.abs(Date.parse(recorded.occurredAt) - Date.now())).toBeLessThan(60_000);
      expect(await stored(fixture, recorded.id)).toEqual({
        communityId: communities.first,
        verification: 'SELF_REPORTED',
        verifiedById: null,
        verifiedAt: null,
      });

      const occurredAt = new Date(Date.now() - 3_600_000).toISOString();
      const named = await subgraph.request<{ recordImpactEvent: { id: string } }>(RECORD, {
        variables: { input: { type: 'COMMUNITY_PROJECT', description: 'Limpieza del río', occurredAt, communityId: communities.second } },
        ...as(fixture, 'LEARNER'),
      });
      expect(named.body).toEqual({
        data: {
          recordImpactEvent: {
            id: expect.any(String),
            type: 'COMMUNITY_PROJECT',
            user: { id: fixture.users.LEARNER.id },
            description: 'Limpieza del río',
            verification: 'SELF_REPORTED',
            occurredAt,
            contributions: points(1, 4, 1, 2, 0.5),
            quantities: {},
          },
        },
      });
      expect((await stored(fixture, named.body.data!.recordImpactEvent.id)).communityId).toBe(communities.second);
    });

    it('lets every person of the tenant record their own, with no community when they have none', async () => {
      const { fixture } = await tenantWithCommunities();
      for (const persona of ['INSTRUCTOR', 'EVALUATOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'] as const) {
        const response = await subgraph.request<{ recordImpactEvent: { id: string } }>(
          'mutation ($input: RecordImpactEventInput!) { recordImpactEvent(input: $input) { id user { id } } }',
          {
            variables: { input: { type: 'SUSTAINABILITY_ACTION', description: 'Focos LED' } },
            ...as(fixture, persona),
          },
        );
        expect({ persona, body: response.body }).toEqual({
          persona,
          body: { data: { recordImpactEvent: { id: expect.any(String), user: { id: fixture.users[persona].id } } } },
        });
        expect({ persona, communityId: (await stored(fixture, response.body.data!.recordImpactEvent.id)).communityId }).toEqual({
          persona,
          communityId: null,
        });
      }
    });

    it('answers every problem with the input at once, as BAD_USER_INPUT issues', async () => {
      const { fixture } = await tenantWithCommunities();
      const record = (input: Record<string, unknown>) =>
        subgraph.request(RECORD, { variables: { input }, ...as(fixture, 'LEARNER') }).then((response) => response.body);
      const invalid = (...issues: { field: string; message: string }[]) =>
        refused('recordImpactEvent', 'Invalid impact event', 'BAD_USER_INPUT', { issues });
      expect(
        await record({
          type: 'COURSE_COMPLETION',
          description: '   ',
          occurredAt: new Date(Date.now() + 86_400_000).toISOString(),
          quantities: { hours: -1, participants: 2.5, certifiedCompetencies: 1, smiles: 3 },
        }),
      ).toEqual(
        invalid(
          { field: 'quantities.hours', message: 'must be a number from 0 to 10000 (h)' },
          { field: 'quantities.participants', message: 'must be a whole number (people)' },
          { field: 'quantities.certifiedCompetencies', message: 'is recorded by the platform, not by people' },
          {
            field: 'quantities.smiles',
            message:
              'is not a known quantity (hours, participants, kgCo2eAvoided, kwhSaved, kgWasteDiverted, litersWaterSaved, treesPlanted, squareMetersRestored)',
          },
          { field: 'description', message: 'must be 1 to 2000 characters' },
          { field: 'type', message: 'course completions are recorded by the platform when a course is completed' },
          { field: 'occurredAt', message: 'must not be in the future' },
        ),
      );
      expect(await record({ type: 'SKILL_SHARING', description: 'x'.repeat(2001), quantities: [2] })).toEqual(
        invalid(
          { field: 'quantities', message: 'must be an object of named numbers' },
          { field: 'description', message: 'must be 1 to 2000 characters' },
        ),
      );
      expect(
        await record({
          type: 'SKILL_SHARING',
          description: 'Antes de llegar',
          occurredAt: new Date(Date.now() - 2 * 365 * 86_400_000).toISOString(),
        }),
      ).toEqual(invalid({ field: 'occurredAt', message: 'must not be before you joined' }));
      expect(await subgraph.db.database.forTenant(fixture.tenant.id).run((tx) => tx.impactEvent.count())).toBe(0);
    });

    it("refuses a community that is not the person's, and knows none of another tenant", async () => {
      const { fixture, communities } = await tenantWithCommunities();
      const elsewhere = await tenantWithCommunities();
      const record = (communityId: string) =>
        subgraph
          .request(RECORD, {
            variables: { input: { type: 'SKILL_SHARING', description: 'Asesoría', communityId } },
            ...as(fixture, 'LEARNER'),
          })
          .then((response) => response.body);
      expect(await record(communities.notMine)).toEqual(
        refused('recordImpactEvent', 'Invalid impact event', 'BAD_USER_INPUT', {
          issues: [{ field: 'communityId', message: 'must be a community you belong to' }],
        }),
      );
      for (const communityId of [elsewhere.communities.first, uniqueId()]) {
        expect({ communityId, body: await record(communityId) }).toEqual({
          communityId,
          body: refused('recordImpactEvent', 'Community not found', 'NOT_FOUND'),
        });
      }
      expect(await subgraph.db.database.forTenant(fixture.tenant.id).run((tx) => tx.impactEvent.count())).toBe(0);
    });

    it('is for people of the tenant: a platform admin of another tenant and the anonymous are refused', async () => {
      const { fixture } = await tenantWithCommunities();
      const elsewhere = await createTenant(subgraph.db.database);
      const variables = { input: { type: 'SKILL_SHARING', description: 'Asesoría' } };
      expect((await subgraph.request(RECORD, { variables, tenant: fixture.tenant, viewer: elsewhere.users.PLATFORM_ADMIN })).body).toEqual(
        refused('recordImpactEvent', 'Only people of this tenant do this here', 'FORBIDDEN'),
      );
      expect((await subgraph.request(RECORD, { variables, tenant: fixture.tenant })).body).toEqual(
        refused('recordImpactEvent', 'Authentication required', 'UNAUTHENTICATED'),
      );
      expect(await subgraph.db.database.forTenant(fixture.tenant.id).run((tx) => tx.impactEvent.count())).toBe(0);
    });
  });

  describe('verifyImpactEvent', () => {
    it("lets staff verify someone else's event: it is rescored and records who verified it", async () => {
      const { fixture } = await tenantWithCommunities();
      for (const persona of ['EVALUATOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'] as const) {
        const event = await eventOf(fixture, fixture.users.LEARNER.id);
        expect({
          persona,
          body: (await subgraph.request(VERIFY, { variables: { id: event.id, level: 'EXPERT_VERIFIED' }, ...as(fixture, persona) })).body,
        }).toEqual({
          persona,
          body: { data: { verifyImpactEvent: { id: event.id, verification: 'EXPERT_VERIFIED', contributions: points(1, 7, 1, 6.5, 2) } } },
        });
        expect({ persona, stored: await stored(fixture, event.id) }).toEqual({
          persona,
          stored: {
            communityId: null,
            verification: 'EXPERT_VERIFIED',
            verifiedById: fixture.users[persona].id,
            verifiedAt: expect.any(Date),
          },
        });
      }
      // Another staff member's event, too.
      const colleague = await eventOf(fixture, fixture.users.TENANT_ADMIN.id);
      expect(
        (await subgraph.request(VERIFY, { variables: { id: colleague.id, level: 'PEER_VERIFIED' }, ...as(fixture, 'EVALUATOR') })).body,
      ).toEqual({
        data: { verifyImpactEvent: { id: colleague.id, verification: 'PEER_VERIFIED', contributions: points(0.8, 5.6, 0.8, 5.2, 1.6) } },
      });
    });

    it('lets a platform admin of another tenant verify, recording no verifier of this tenant', async () => {
      const { fixture } = await tenantWithCommunities();
      const elsewhere = await createTenant(subgraph.db.database);
      const event = await eventOf(fixture, fixture.users.LEARNER.id);
      expect(
        (
          await subgraph.request(VERIFY, {
            variables: { id: event.id, level: 'PEER_VERIFIED' },
            tenant: fixture.tenant,
            viewer: elsewhere.users.PLATFORM_ADMIN,
          })
        ).body,
      ).toEqual({
        data: { verifyImpactEvent: { id: event.id, verification: 'PEER_VERIFIED', contributions: points(0.8, 5.6, 0.8, 5.2, 1.6) } },
      });
      expect(await stored(fixture, event.id)).toEqual({
        communityId: null,
        verification: 'PEER_VERIFIED',
        verifiedById: null,
        verifiedAt: expect.any(Date),
      });
    });

    it("refuses one's own event, an event the platform recorded, learners, instructors and the anonymous", async () => {
      const { fixture } = await tenantWithCommunities();
      const verify = (id: string, options: { tenant: TestTenant['tenant']; viewer?: TestTenant['users']['LEARNER'] }) =>
        subgraph.request(VERIFY, { variables: { id, level: 'EXPERT_VERIFIED' }, ...options }).then((response) => response.body);
      const own = await subgraph.request<{ recordImpactEvent: { id: string } }>(RECORD, {
        variables: { input: { type: 'SKILL_SHARING', description: 'Asesoría entre pares', quantities: { hours: 2 } } },
        ...as(fixture, 'EVALUATOR'),
      });
      expect(await verify(own.body.data!.recordImpactEvent.id, as(fixture, 'EVALUATOR'))).toEqual(
        refused('verifyImpactEvent', 'Nobody verifies their own impact', 'FORBIDDEN'),
      );

      const platform = await eventOf(fixture, fixture.users.LEARNER.id, {
        type: 'COURSE_COMPLETION',
        verification: 'EXPERT_VERIFIED',
        sourceKey: `certificate:${uniqueId()}`,
      });
      for (const persona of ['EVALUATOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'] as const) {
        expect({ persona, body: await verify(platform.id, as(fixture, persona)) }).toEqual({
          persona,
          body: refused('verifyImpactEvent', 'The platform verified this event when it recorded it', 'FORBIDDEN'),
        });
      }

      const event = await eventOf(fixture, fixture.users.LEARNER.id);
      for (const persona of ['LEARNER', 'INSTRUCTOR'] as const) {
        expect({ persona, body: await verify(event.id, as(fixture, persona)) }).toEqual({
          persona,
          body: refused('verifyImpactEvent', 'Not allowed', 'FORBIDDEN'),
        });
      }
      expect(await verify(event.id, { tenant: fixture.tenant })).toEqual(
        refused('verifyImpactEvent', 'Authentication required', 'UNAUTHENTICATED'),
      );
      for (const id of [own.body.data!.recordImpactEvent.id, platform.id, event.id]) {
        expect(await stored(fixture, id)).toMatchObject({ verifiedById: null, verifiedAt: null });
      }
    });

    it('knows no event of another tenant, nor an unknown one', async () => {
      const { fixture } = await tenantWithCommunities();
      const elsewhere = await createTenant(subgraph.db.database);
      const event = await eventOf(elsewhere, elsewhere.users.LEARNER.id);
      for (const id of [event.id, uniqueId(), 'not-a-uuid']) {
        expect({
          id,
          body: (await subgraph.request(VERIFY, { variables: { id, level: 'PEER_VERIFIED' }, ...as(fixture, 'TENANT_ADMIN') })).body,
        }).toEqual({
          id,
          body: refused('verifyImpactEvent', 'Impact event not found', 'NOT_FOUND'),
        });
      }
      expect(await stored(elsewhere, event.id)).toMatchObject({ verification: 'SELF_REPORTED', verifiedById: null });
    });
  });

  describe('impactEvents', () => {
    it("lists a person's events newest first, page by page, to the person and staff", async () => {
      const { fixture } = await tenantWithCommunities();
      const learner = fixture.users.LEARNER.id;
      const at = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000);
      const oldest = await eventOf(fixture, learner, { occurredAt: at(3), description: 'Primero' });
      const newest = await eventOf(fixture, learner, { occurredAt: at(1), description: 'Tercero', type: 'COMMUNITY_PROJECT' });
      const middle = await eventOf(fixture, learner, { occurredAt: at(2), description: 'Segundo' });
      await eventOf(fixture, fixture.users.EVALUATOR.id, { description: 'Del evaluador' });
      const view = (event: typeof oldest) => ({
        id: event.id,
        type: event.type,
        description: event.description,
        occurredAt: event.occurredAt.toISOString(),
      });

      for (const [persona, userId] of [
        ['LEARNER', undefined],
        ['LEARNER', learner],
        ['EVALUATOR', learner],
        ['TENANT_ADMIN', learner],
        ['PLATFORM_ADMIN', learner],
      ] as const) {
        const body = (await subgraph.request(EVENTS, { variables: { userId }, ...as(fixture, persona) })).body;
        expect({ persona, body }).toEqual({ persona, body: { data: { impactEvents: [view(newest), view(middle), view(oldest)] } } });
      }
      const page = (after?: string) =>
        subgraph.request(EVENTS, { variables: { first: 2, after }, ...as(fixture, 'LEARNER') }).then((response) => response.body);
      expect(await page()).toEqual({ data: { impactEvents: [view(newest), view(middle)] } });
      expect(await page(middle.id)).toEqual({ data: { impactEvents: [view(oldest)] } });
      expect(await page(oldest.id)).toEqual({ data: { impactEvents: [] } });
    });

    it("refuses another person's events to learners and instructors, and the anonymous; knows no person or event of another tenant", async () => {
      const { fixture } = await tenantWithCommunities();
      const elsewhere = await createTenant(subgraph.db.database);
      const theirs = await eventOf(elsewhere, elsewhere.users.LEARNER.id);
      const list = (
        variables: Record<string, unknown>,
        options: { tenant: TestTenant['tenant']; viewer?: TestTenant['users']['LEARNER'] },
      ) => subgraph.request(EVENTS, { variables, ...options }).then((response) => response.body);
      for (const persona of ['LEARNER', 'INSTRUCTOR'] as const) {
        expect({ persona, body: await list({ userId: fixture.users.EVALUATOR.id }, as(fixture, persona)) }).toEqual({
          persona,
          body: refused('impactEvents', "Only staff see another person's events", 'FORBIDDEN'),
        });
      }
      expect(await list({}, { tenant: fixture.tenant })).toEqual(refused('impactEvents', 'Authentication required', 'UNAUTHENTICATED'));
      for (const userId of [elsewhere.users.LEARNER.id, uniqueId(), 'not-a-uuid']) {
        expect({ userId, body: await list({ userId }, as(fixture, 'EVALUATOR')) }).toEqual({
          userId,
          body: refused('impactEvents', 'User not found', 'NOT_FOUND'),
        });
      }
      expect(await list({ after: theirs.id }, as(fixture, 'LEARNER'))).toEqual(
        refused('impactEvents', 'Impact event (after) not found', 'NOT_FOUND'),
      );
    });
  });
});
