import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, isObjectType, parse, type GraphQLSchema } from 'graphql';
import { buildProtectedSubgraphSchema, everyone } from '@academy/graphql-http';
import * as certifications from '@academy/subgraph-certifications';
import * as conocer from '@academy/subgraph-conocer';
import * as courses from '@academy/subgraph-courses';
import * as impact from '@academy/subgraph-impact';
import * as users from '@academy/subgraph-users';

const SUBGRAPHS = { users, courses, certifications, conocer, impact };

/** Object types and their fields as the subgraph serves them (federation's own included). */
function fieldsOf(schema: GraphQLSchema): string[] {
  return Object.values(schema.getTypeMap())
    .filter((type) => isObjectType(type) && !type.name.startsWith('__'))
    .flatMap((type) => Object.keys((type as { getFields(): object }).getFields()).map((field) => `${type.name}.${field}`))
    .sort();
}

function rulesOf(permissions: Record<string, unknown>): string[] {
  return Object.entries(permissions)
    .flatMap(([type, fields]) => Object.keys(fields as object).map((field) => `${type}.${field}`))
    .sort();
}

describe('graphql-shield rules', () => {
  it.each(Object.keys(SUBGRAPHS))('name every field of the %s subgraph, and nothing else (no wildcard)', (name) => {
    const subgraph = SUBGRAPHS[name as keyof typeof SUBGRAPHS];
    const schema = buildSubgraphSchema([{ typeDefs: subgraph.typeDefs }]);
    const rules = rulesOf(subgraph.permissions as Record<string, unknown>);
    expect(rules.filter((rule) => rule.includes('*'))).toEqual([]);
    expect({ subgraph: name, withoutRule: fieldsOf(schema).filter((field) => !rules.includes(field)) }).toEqual({ subgraph: name, withoutRule: [] });
    expect({ subgraph: name, staleRules: rules.filter((rule) => !fieldsOf(schema).includes(rule)) }).toEqual({ subgraph: name, staleRules: [] });
  });

  it('deny a field that has no rule (fallbackRule: deny)', async () => {
    const schema = buildProtectedSubgraphSchema(parse('type Query { open: String closed: String }'), { Query: { open: () => 'yes', closed: () => 'secret' } }, { Query: { open: everyone } });
    const result = await execute({ schema, document: parse('{ open closed }'), contextValue: { viewer: null, signedByGateway: true } });
    expect(JSON.parse(JSON.stringify(result))).toEqual({
      data: { open: 'yes', closed: null },
      errors: [{ message: 'Not allowed', locations: [{ line: 1, column: 8 }], path: ['closed'], extensions: { code: 'FORBIDDEN' } }],
    });
  });
});
