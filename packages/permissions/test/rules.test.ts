import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse } from 'graphql';
import { buildProtectedSubgraphSchema } from '@academy/graphql-http';
import { everyone, forType, gatewayOnly, hasPersona, ruleCoverage, signedIn } from '../src';

const tenant = { id: '00000000-0000-4000-8000-000000000001', slug: 't', name: 'T', tier: 'COMMUNITY' as const };
const learner = { userId: '00000000-0000-4000-8000-000000000002', tenantId: tenant.id, persona: 'LEARNER' as const };

describe('rules in one place', () => {
  // A type whose fields share a rule, one field with its own, a type nobody gave a rule.
  const typeDefs = parse(`
    type Query { course: Course secret: Secret }
    type Course { id: ID title: String addedLater: String price: Int }
    type Secret { value: String }
  `);
  const resolvers = {
    Query: { course: () => ({ id: 'c1', title: 'Huertos', addedLater: 'inherits', price: 100 }), secret: () => ({ value: 'x' }) },
  };
  const permissions = { Query: { course: everyone, secret: everyone }, Course: forType(everyone, { price: signedIn }) };

  const run = (query: string, viewer: typeof learner | null, signedByGateway = true) =>
    Promise.resolve(
      execute({
        schema: buildProtectedSubgraphSchema(typeDefs, resolvers, permissions),
        document: parse(query),
        contextValue: { tenant, viewer, signedByGateway },
      }),
    ).then((result) => JSON.parse(JSON.stringify(result)));

  it("gives a field its type's rule unless it has its own, and denies a type without one", async () => {
    expect(await run('{ course { id addedLater price } }', null)).toEqual({
      data: { course: { id: 'c1', addedLater: 'inherits', price: null } },
      errors: [
        {
          message: 'Authentication required',
          locations: [{ line: 1, column: 26 }],
          path: ['course', 'price'],
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ],
    });
    expect(await run('{ course { price } secret { value } }', learner)).toEqual({
      data: { course: { price: 100 }, secret: { value: null } },
      errors: [
        { message: 'Not allowed', locations: [{ line: 1, column: 29 }], path: ['secret', 'value'], extensions: { code: 'FORBIDDEN' } },
      ],
    });
  });

  it('reports the fields a rule tree leaves out and the rules that name nothing', () => {
    const schema = buildSubgraphSchema([{ typeDefs }]);
    expect(ruleCoverage(schema, permissions)).toEqual({ withoutRule: ['Query._service', 'Secret.value', '_Service.sdl'], stale: [] });
    expect(
      ruleCoverage(schema, {
        ...permissions,
        Query: { course: everyone, secret: everyone, gone: everyone },
        Removed: forType(everyone),
        Secret: hasPersona('LEARNER'),
      }),
    ).toEqual({
      withoutRule: ['Query._service', '_Service.sdl'],
      stale: ['Query.gone', 'Removed'],
    });
  });

  it("refuses federation's fields to a request the gateway did not sign", async () => {
    const schema = buildProtectedSubgraphSchema(
      parse('type Query { open: String }'),
      { Query: { open: () => 'yes' } },
      { Query: { open: everyone, _service: gatewayOnly }, _Service: { sdl: gatewayOnly } },
    );
    const ask = (signedByGateway: boolean) =>
      Promise.resolve(
        execute({ schema, document: parse('{ _service { sdl } }'), contextValue: { tenant, viewer: null, signedByGateway } }),
      ).then((result) => JSON.parse(JSON.stringify(result)));
    expect(await ask(false)).toEqual({
      data: null,
      errors: [
        {
          message: 'Only the gateway may query this',
          locations: [{ line: 1, column: 3 }],
          path: ['_service'],
          extensions: { code: 'FORBIDDEN' },
        },
      ],
    });
    expect((await ask(true)).data._service.sdl).toContain('type Query');
  });
});
