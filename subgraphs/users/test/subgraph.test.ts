import { randomUUID } from 'node:crypto';
import { buildCurp } from '@academy/curp';
import { encodeCursor, type User } from '@academy/platform';
import {
  createTenant,
  createTenantWithEveryKindOfRow,
  GATEWAY_BOUNDARY,
  startSubgraph,
  type RunningSubgraph,
  type TestTenant,
} from '@academy/testing';

/** The users subgraph on its own, as the gateway calls it: entities, permissions, personas, profiles. */
describe('users subgraph', () => {
  let subgraph: RunningSubgraph;
  let fixture: TestTenant;
  let other: TestTenant;
  let community: { id: string; name: string; description: string };
  beforeAll(async () => {
    subgraph = await startSubgraph('users');
    [fixture, other] = await Promise.all([
      createTenantWithEveryKindOfRow(subgraph.db.database),
      createTenantWithEveryKindOfRow(subgraph.db.database),
    ]);
    community = await subgraph.db.database
      .forTenant(fixture.tenant.id)
      .run((tx) => tx.community.findFirstOrThrow({ select: { id: true, name: true, description: true } }));
  });
  afterAll(() => subgraph?.close());

  const as = (persona: keyof TestTenant['users'], tenant = fixture) => ({ tenant: tenant.tenant, viewer: tenant.users[persona] });
  const tenantOf = (tenant: TestTenant) => ({
    id: tenant.tenant.id,
    slug: tenant.tenant.slug,
    name: tenant.tenant.name,
    tier: tenant.tenant.tier,
  });
  const forbidden = (path: (string | number)[], message = 'Not allowed') => ({ message, path, extensions: { code: 'FORBIDDEN' } });
  const unauthenticated = (path: (string | number)[]) => ({
    message: 'Authentication required',
    path,
    extensions: { code: 'UNAUTHENTICATED' },
  });

  it('answers only requests the gateway signed', async () => {
    expect(await subgraph.boundary(fixture.tenant)).toEqual(GATEWAY_BOUNDARY);
  });

  it('has a rule for every field', () => {
    expect(subgraph.ruleCoverage()).toEqual({ withoutRule: [], stale: [] });
  });

  describe('entities', () => {
    const ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on User { id name email persona curp createdAt tenant { id slug } communities { id name } }
      ... on Tenant { id slug name tier createdAt }
      ... on Community { id name description memberCount members { totalCount pageInfo { hasNextPage } edges { node { id name } } } }
    } }`;

    it('resolves a user, the request tenant and a community for a signed-in viewer', async () => {
      const learner = fixture.users.LEARNER;
      const representations = [
        { __typename: 'User', id: learner.id },
        { __typename: 'Tenant', id: fixture.tenant.id },
        { __typename: 'Community', id: community.id },
      ];
      const response = await subgraph.request(ENTITIES, { variables: { representations }, ...as('LEARNER') });
      expect(response).toMatchObject({ status: 200 });
      expect(response.body).toEqual({
        data: {
          _entities: [
            {
              id: learner.id,
              name: learner.name,
              email: learner.email,
              persona: 'LEARNER',
              curp: null,
              createdAt: learner.createdAt.toISOString(),
              tenant: { id: fixture.tenant.id, slug: fixture.tenant.slug },
              communities: [{ id: community.id, name: community.name }],
            },
            {
              id: fixture.tenant.id,
              slug: fixture.tenant.slug,
              name: fixture.tenant.name,
              tier: 'PROFESSIONAL',
              createdAt: fixture.tenant.createdAt.toISOString(),
            },
            {
              id: community.id,
              name: community.name,
              description: community.description,
              memberCount: 1,
              members: { totalCount: 1, pageInfo: { hasNextPage: false }, edges: [{ node: { id: learner.id, name: learner.name } }] },
            },
          ],
        },
      });
    });

    it("shows a user's email and CURP to the user and admins, and refuses them to other personas", async () => {
      const variables = { representations: [{ __typename: 'User', id: fixture.users.LEARNER.id }] };
      const email = 'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id email } } }';
      const curp = 'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id curp } } }';
      for (const persona of ['LEARNER', 'TENANT_ADMIN', 'PLATFORM_ADMIN'] as const) {
        expect({ persona, body: (await subgraph.request(email, { variables, ...as(persona) })).body }).toEqual({
          persona,
          body: { data: { _entities: [{ id: fixture.users.LEARNER.id, email: fixture.users.LEARNER.email }] } },
        });
        expect({ persona, body: (await subgraph.request(curp, { variables, ...as(persona) })).body }).toEqual({
          persona,
          body: { data: { _entities: [{ id: fixture.users.LEARNER.id, curp: null }] } },
        });
      }
      for (const persona of ['INSTRUCTOR', 'EVALUATOR'] as const) {
        // email is non-null: the refusal takes the whole user with it; curp is nullable: only it.
        expect({ persona, body: (await subgraph.request(email, { variables, ...as(persona) })).body }).toEqual({
          persona,
          body: { data: { _entities: [null] }, errors: [forbidden(['_entities', 0, 'email'], 'Only the user and admins see this')] },
        });
        expect({ persona, body: (await subgraph.request(curp, { variables, ...as(persona) })).body }).toEqual({
          persona,
          body: {
            data: { _entities: [{ id: fixture.users.LEARNER.id, curp: null }] },
            errors: [forbidden(['_entities', 0, 'curp'], 'Only the user and admins see this')],
          },
        });
      }
    });

    it("shows the anonymous a user's id and name and the tenant, nothing else", async () => {
      const query = `query ($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on User { id name } ... on Tenant { id name } ... on Community { id }
      } }`;
      const users = {
        representations: [
          { __typename: 'User', id: fixture.users.LEARNER.id },
          { __typename: 'Tenant', id: fixture.tenant.id },
        ],
      };
      expect((await subgraph.request(query, { variables: users, tenant: fixture.tenant })).body).toEqual({
        data: {
          _entities: [
            { id: fixture.users.LEARNER.id, name: fixture.users.LEARNER.name },
            { id: fixture.tenant.id, name: fixture.tenant.name },
          ],
        },
      });
      const persona = 'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id persona } } }';
      expect(
        (
          await subgraph.request(persona, {
            variables: { representations: [{ __typename: 'User', id: fixture.users.LEARNER.id }] },
            tenant: fixture.tenant,
          })
        ).body,
      ).toEqual({
        data: { _entities: [null] },
        errors: [unauthenticated(['_entities', 0, 'persona'])],
      });
      expect(
        (
          await subgraph.request(query, {
            variables: { representations: [{ __typename: 'Community', id: community.id }] },
            tenant: fixture.tenant,
          })
        ).body,
      ).toEqual({
        data: { _entities: [null] },
        errors: [unauthenticated(['_entities', 0, 'id'])],
      });
    });

    it("never resolves another tenant's user, tenant or community, nor unknown ids", async () => {
      const representations = [
        { __typename: 'User', id: fixture.users.LEARNER.id },
        { __typename: 'Tenant', id: fixture.tenant.id },
        { __typename: 'Community', id: community.id },
        { __typename: 'User', id: randomUUID() },
        { __typename: 'Tenant', id: randomUUID() },
        { __typename: 'Community', id: randomUUID() },
        { __typename: 'User', id: 'not-an-id' },
        { __typename: 'Community', id: 'not-an-id' },
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
    });
  });

  describe('queries', () => {
    it('me: the signed-in user, null for the anonymous', async () => {
      const query = '{ me { id name persona } }';
      expect((await subgraph.request(query, as('INSTRUCTOR'))).body).toEqual({
        data: { me: { id: fixture.users.INSTRUCTOR.id, name: fixture.users.INSTRUCTOR.name, persona: 'INSTRUCTOR' } },
      });
      expect((await subgraph.request(query, { tenant: fixture.tenant })).body).toEqual({ data: { me: null } });
    });

    it('viewerTenant: the request tenant, for anyone', async () => {
      const query = '{ viewerTenant { id slug name tier } }';
      expect((await subgraph.request(query, { tenant: fixture.tenant })).body).toEqual({ data: { viewerTenant: tenantOf(fixture) } });
      expect((await subgraph.request(query, as('LEARNER', other))).body).toEqual({ data: { viewerTenant: tenantOf(other) } });
    });

    it('user: any user of the tenant by id for the signed-in, NOT_FOUND for unknown and foreign ids, UNAUTHENTICATED for the anonymous', async () => {
      const query = 'query ($id: ID!) { user(id: $id) { id name persona } }';
      const learner = fixture.users.LEARNER;
      for (const persona of ['LEARNER', 'INSTRUCTOR', 'EVALUATOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'] as const) {
        expect({ persona, body: (await subgraph.request(query, { variables: { id: learner.id }, ...as(persona) })).body }).toEqual({
          persona,
          body: { data: { user: { id: learner.id, name: learner.name, persona: 'LEARNER' } } },
        });
      }
      const notFound = { data: { user: null }, errors: [{ message: 'User not found', path: ['user'], extensions: { code: 'NOT_FOUND' } }] };
      expect((await subgraph.request(query, { variables: { id: other.users.LEARNER.id }, ...as('TENANT_ADMIN') })).body).toEqual(notFound);
      expect((await subgraph.request(query, { variables: { id: randomUUID() }, ...as('TENANT_ADMIN') })).body).toEqual(notFound);
      expect((await subgraph.request(query, { variables: { id: 'not-an-id' }, ...as('TENANT_ADMIN') })).body).toEqual(notFound);
      expect((await subgraph.request(query, { variables: { id: learner.id }, tenant: fixture.tenant })).body).toEqual({
        data: { user: null },
        errors: [unauthenticated(['user'])],
      });
    });

    it("users: the tenant's people page by page for admins, filtered by persona; FORBIDDEN to others, UNAUTHENTICATED to the anonymous", async () => {
      const query =
        'query ($first: Int, $after: String, $persona: Persona) { users(first: $first, after: $after, persona: $persona) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id persona } } } }';
      const ordered = Object.values(fixture.users).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
      const edge = (user: User) => ({
        cursor: encodeCursor([user.createdAt.toISOString(), user.id]),
        node: { id: user.id, persona: user.persona },
      });
      const first = await subgraph.request(query, { variables: { first: 3 }, ...as('TENANT_ADMIN') });
      expect(first.body).toEqual({
        data: {
          users: {
            totalCount: 5,
            pageInfo: { hasNextPage: true, endCursor: edge(ordered[2]!).cursor },
            edges: ordered.slice(0, 3).map(edge),
          },
        },
      });
      const second = await subgraph.request(query, { variables: { first: 3, after: edge(ordered[2]!).cursor }, ...as('PLATFORM_ADMIN') });
      expect(second.body).toEqual({
        data: {
          users: {
            totalCount: 5,
            pageInfo: { hasNextPage: false, endCursor: edge(ordered[4]!).cursor },
            edges: ordered.slice(3).map(edge),
          },
        },
      });
      expect((await subgraph.request(query, { variables: { persona: 'EVALUATOR' }, ...as('TENANT_ADMIN') })).body).toEqual({
        data: {
          users: {
            totalCount: 1,
            pageInfo: { hasNextPage: false, endCursor: edge(fixture.users.EVALUATOR).cursor },
            edges: [edge(fixture.users.EVALUATOR)],
          },
        },
      });
      expect((await subgraph.request(query, { variables: { after: 'garbage' }, ...as('TENANT_ADMIN') })).body).toEqual({
        data: null,
        errors: [
          {
            message: '`after` is not a cursor this API returned',
            path: ['users'],
            extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'after', message: 'invalid cursor' }] },
          },
        ],
      });
      for (const persona of ['LEARNER', 'INSTRUCTOR', 'EVALUATOR'] as const) {
        expect({ persona, body: (await subgraph.request(query, as(persona))).body }).toEqual({
          persona,
          body: { data: null, errors: [forbidden(['users'])] },
        });
      }
      expect((await subgraph.request(query, { tenant: fixture.tenant })).body).toEqual({
        data: null,
        errors: [unauthenticated(['users'])],
      });
    });

    it("communities: the tenant's communities for the signed-in, UNAUTHENTICATED for the anonymous", async () => {
      const query = '{ communities { id name memberCount } }';
      expect((await subgraph.request(query, as('EVALUATOR'))).body).toEqual({
        data: { communities: [{ id: community.id, name: community.name, memberCount: 1 }] },
      });
      expect((await subgraph.request(query, { tenant: fixture.tenant })).body).toEqual({
        data: null,
        errors: [unauthenticated(['communities'])],
      });
    });
  });

  describe('setUserPersona', () => {
    const SET = 'mutation ($userId: ID!, $persona: Persona!) { setUserPersona(userId: $userId, persona: $persona) { id persona } }';
    const personaOf = (tenant: TestTenant, id: string) =>
      subgraph.db.database.forTenant(tenant.tenant.id).run((tx) => tx.user.findUniqueOrThrow({ where: { id }, select: { persona: true } }));

    it('lets a tenant admin change a persona, and only a platform admin grant or remove PLATFORM_ADMIN', async () => {
      const own = await createTenant(subgraph.db.database);
      const set = (viewer: User, userId: string, persona: string) =>
        subgraph.request(SET, { variables: { userId, persona }, tenant: own.tenant, viewer });
      expect((await set(own.users.TENANT_ADMIN, own.users.LEARNER.id, 'INSTRUCTOR')).body).toEqual({
        data: { setUserPersona: { id: own.users.LEARNER.id, persona: 'INSTRUCTOR' } },
      });
      expect(await personaOf(own, own.users.LEARNER.id)).toEqual({ persona: 'INSTRUCTOR' });

      const refused = { data: null, errors: [forbidden(['setUserPersona'], 'Only a platform admin grants or removes PLATFORM_ADMIN')] };
      expect((await set(own.users.TENANT_ADMIN, own.users.EVALUATOR.id, 'PLATFORM_ADMIN')).body).toEqual(refused);
      expect((await set(own.users.TENANT_ADMIN, own.users.PLATFORM_ADMIN.id, 'TENANT_ADMIN')).body).toEqual(refused);
      expect(await personaOf(own, own.users.EVALUATOR.id)).toEqual({ persona: 'EVALUATOR' });
      expect(await personaOf(own, own.users.PLATFORM_ADMIN.id)).toEqual({ persona: 'PLATFORM_ADMIN' });

      expect((await set(own.users.PLATFORM_ADMIN, own.users.EVALUATOR.id, 'PLATFORM_ADMIN')).body).toEqual({
        data: { setUserPersona: { id: own.users.EVALUATOR.id, persona: 'PLATFORM_ADMIN' } },
      });
      expect((await set(own.users.PLATFORM_ADMIN, own.users.EVALUATOR.id, 'EVALUATOR')).body).toEqual({
        data: { setUserPersona: { id: own.users.EVALUATOR.id, persona: 'EVALUATOR' } },
      });
      // A platform admin (of another tenant) acts on any tenant.
      expect((await set(other.users.PLATFORM_ADMIN, own.users.INSTRUCTOR.id, 'EVALUATOR')).body).toEqual({
        data: { setUserPersona: { id: own.users.INSTRUCTOR.id, persona: 'EVALUATOR' } },
      });
    });

    it('is for admins, and answers NOT_FOUND for a user the tenant does not have', async () => {
      const target = fixture.users.LEARNER.id;
      for (const persona of ['LEARNER', 'INSTRUCTOR', 'EVALUATOR'] as const) {
        expect({
          persona,
          body: (await subgraph.request(SET, { variables: { userId: target, persona: 'LEARNER' }, ...as(persona) })).body,
        }).toEqual({
          persona,
          body: { data: null, errors: [forbidden(['setUserPersona'])] },
        });
      }
      expect((await subgraph.request(SET, { variables: { userId: target, persona: 'LEARNER' }, tenant: fixture.tenant })).body).toEqual({
        data: null,
        errors: [unauthenticated(['setUserPersona'])],
      });
      const notFound = { data: null, errors: [{ message: 'User not found', path: ['setUserPersona'], extensions: { code: 'NOT_FOUND' } }] };
      expect(
        (await subgraph.request(SET, { variables: { userId: other.users.LEARNER.id, persona: 'INSTRUCTOR' }, ...as('TENANT_ADMIN') })).body,
      ).toEqual(notFound);
      expect(
        (await subgraph.request(SET, { variables: { userId: randomUUID(), persona: 'INSTRUCTOR' }, ...as('TENANT_ADMIN') })).body,
      ).toEqual(notFound);
      expect(await personaOf(other, other.users.LEARNER.id)).toEqual({ persona: 'LEARNER' });
    });
  });

  describe('updateMyProfile', () => {
    const UPDATE = 'mutation ($input: UpdateProfileInput!) { updateMyProfile(input: $input) { id name curp } }';
    const curp = buildCurp({
      givenNames: 'Ana',
      firstSurname: 'López',
      secondSurname: 'Hernández',
      birthDate: new Date(Date.UTC(1990, 4, 17)),
      sex: 'M',
      state: 'OC',
    });

    it("changes the signed-in user's own name and CURP, trimmed and upper-cased", async () => {
      const own = await createTenant(subgraph.db.database);
      const viewer = own.users.LEARNER;
      const update = (input: Record<string, unknown>) => subgraph.request(UPDATE, { variables: { input }, tenant: own.tenant, viewer });
      expect((await update({ name: '  Ana López Hernández ', curp: ` ${curp.toLowerCase()} ` })).body).toEqual({
        data: { updateMyProfile: { id: viewer.id, name: 'Ana López Hernández', curp } },
      });
      // What is not given stays as it is.
      expect((await update({ name: 'Ana López' })).body).toEqual({ data: { updateMyProfile: { id: viewer.id, name: 'Ana López', curp } } });
      expect(
        await subgraph.db.database
          .forTenant(own.tenant.id)
          .run((tx) => tx.user.findUniqueOrThrow({ where: { id: viewer.id }, select: { name: true, curp: true } })),
      ).toEqual({
        name: 'Ana López',
        curp,
      });
    });

    it('refuses a bad name or CURP with the issues, and changes nothing', async () => {
      const own = await createTenant(subgraph.db.database);
      const viewer = own.users.INSTRUCTOR;
      const update = (input: Record<string, unknown>) => subgraph.request(UPDATE, { variables: { input }, tenant: own.tenant, viewer });
      const invalid = (issues: { field: string; message: string }[]) => ({
        data: null,
        errors: [{ message: 'Invalid profile', path: ['updateMyProfile'], extensions: { code: 'BAD_USER_INPUT', issues } }],
      });
      const wrongDigit = `${curp.slice(0, 17)}${(Number(curp[17]) + 1) % 10}`;
      expect((await update({ name: '   ', curp: wrongDigit })).body).toEqual(
        invalid([
          { field: 'name', message: 'must be 1 to 120 characters' },
          { field: 'curp', message: 'the check digit does not match' },
        ]),
      );
      expect((await update({ name: 'x'.repeat(121) })).body).toEqual(invalid([{ field: 'name', message: 'must be 1 to 120 characters' }]));
      expect((await update({ curp: 'LOHA900231MOCPRN00' })).body).toEqual(
        invalid([{ field: 'curp', message: 'the birth date is not a real date' }]),
      );
      expect((await update({ curp: 'NOT-A-CURP' })).body).toEqual(
        invalid([{ field: 'curp', message: 'must be 18 characters in CURP format' }]),
      );
      expect(
        await subgraph.db.database
          .forTenant(own.tenant.id)
          .run((tx) => tx.user.findUniqueOrThrow({ where: { id: viewer.id }, select: { name: true, curp: true } })),
      ).toEqual({
        name: viewer.name,
        curp: null,
      });
    });

    it("is for people of the tenant: UNAUTHENTICATED for the anonymous, FORBIDDEN for another tenant's platform admin", async () => {
      expect((await subgraph.request(UPDATE, { variables: { input: { name: 'Nadie' } }, tenant: fixture.tenant })).body).toEqual({
        data: null,
        errors: [unauthenticated(['updateMyProfile'])],
      });
      expect(
        (
          await subgraph.request(UPDATE, {
            variables: { input: { name: 'Intrusa' } },
            tenant: fixture.tenant,
            viewer: other.users.PLATFORM_ADMIN,
          })
        ).body,
      ).toEqual({
        data: null,
        errors: [forbidden(['updateMyProfile'], 'Only people of this tenant do this here')],
      });
      expect(
        await subgraph.db.database
          .forTenant(other.tenant.id)
          .run((tx) => tx.user.findUniqueOrThrow({ where: { id: other.users.PLATFORM_ADMIN.id }, select: { name: true } })),
      ).toEqual({
        name: other.users.PLATFORM_ADMIN.name,
      });
    });
  });
});
