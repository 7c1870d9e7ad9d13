import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse } from 'graphql';
import { buildProtectedSubgraphSchema } from '@academy/graphql-http';
import { everyone, forType, gatewayOnly, hasPersona, ruleCoverage, signedIn, viewerRule } from '../src';

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
  it('asks a strict rule once per parent object and arguments in a request, and again for another object (an equal one too) or other arguments', async () => {
    const asked: string[] = [];
    const ownNote = viewerRule<{ id: string; owner: string }, { lang?: string }>('ownNote', 'Not your note', (viewer, note, args) => {
      asked.push(`${note.id}:${args.lang ?? '-'}`);
      return note.owner === viewer.userId;
    });
    // The third is the first's twin: equal, but another object.
    const notes = [
      { id: 'n1', owner: learner.userId },
      { id: 'n2', owner: 'someone else' },
      { id: 'n1', owner: learner.userId },
    ];
    const schema = buildProtectedSubgraphSchema(
      parse('type Query { notes: [Note] again: Note } type Note { id: ID text(lang: String): String }'),
      {
        Query: { notes: () => notes, again: () => notes[0] },
        Note: { text: (note: { id: string }, args: { lang?: string }) => `${note.id} ${args.lang ?? 'es'}` },
      },
      { Query: { notes: everyone, again: everyone }, Note: forType(ownNote) },
    );
    const result = await execute({
      schema,
      document: parse('{ notes { id text a: text en: text(lang: "en") } again { id } }'),
      contextValue: { tenant, viewer: learner, signedByGateway: true },
    });
    const refused = (field: string, column: number) => ({
      message: 'Not your note',
      locations: [{ line: 1, column }],
      path: ['notes', 1, field],
      extensions: { code: 'FORBIDDEN' },
    });
    expect(JSON.parse(JSON.stringify(result))).toEqual({
      data: {
        notes: [
          { id: 'n1', text: 'n1 es', a: 'n1 es', en: 'n1 en' },
          { id: null, text: null, a: null, en: null },
          { id: 'n1', text: 'n1 es', a: 'n1 es', en: 'n1 en' },
        ],
        again: { id: 'n1' },
      },
      errors: [refused('id', 11), refused('text', 14), refused('a', 19), refused('en', 27)],
    });
    // Each note object once without arguments (id, text, a; for the first `again` too, the same
    // object), once with lang; the twin is another object, asked for itself.
    expect(asked.sort()).toEqual(['n1:-', 'n1:-', 'n1:en', 'n1:en', 'n2:-', 'n2:en']);
  });
});
