import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { operationCost } from '../src/rate-limits/operation-cost';

const schema = buildSchema(fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'api-contract.graphql'), 'utf8'));

const costOf = (query: string, variables: Record<string, unknown> = {}) => {
  const document = parse(query);
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const fragments = Object.fromEntries(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  return operationCost(schema, operation, fragments, variables);
};

/** What an operation costs against the rate limits (the budgets themselves: rate-limits.test.ts). */
describe('operation cost', () => {
  it('is one point per field, times the sizes of the lists above it', () => {
    // courses 1 + edges 1 + node 5 + id 5 + title 5 + totalCount 1
    expect(costOf('{ courses(first: 5) { edges { node { id title } } totalCount } }')).toBe(18);
    expect(costOf('query($n: Int) { courses(first: $n) { edges { node { id } } } }', { n: 3 })).toBe(8);
  });

  it('counts a list without `first` as 10 items, and a lesson’s attachments as 2', () => {
    // course 1 + modules 1 + id 10 + lessons 10 + id 100 + body 100 + attachments 100 + id 200 + name 200
    expect(costOf('query($id: ID!) { course(id: $id) { modules { id lessons { id body attachments { id name } } } } }')).toBe(722);
    // Other lists keep the default: course 1 + assessment 1 + questions 1 + options 10 + id 100.
    expect(costOf('query($id: ID!) { course(id: $id) { assessment { questions { options { id } } } } }')).toBe(113);
  });
});
