import { buildSubgraphSchema } from '@apollo/subgraph';
import { ruleCoverage } from '@academy/permissions';
import * as certifications from '@academy/subgraph-certifications';
import * as conocer from '@academy/subgraph-conocer';
import * as courses from '@academy/subgraph-courses';
import * as impact from '@academy/subgraph-impact';
import * as users from '@academy/subgraph-users';

const SUBGRAPHS = { users, courses, certifications, conocer, impact };

describe('graphql-shield rules', () => {
  it.each(Object.keys(SUBGRAPHS))('cover every field of the %s subgraph (its own rule or its type\'s), and name nothing else', (name) => {
    const subgraph = SUBGRAPHS[name as keyof typeof SUBGRAPHS];
    const schema = buildSubgraphSchema([{ typeDefs: subgraph.typeDefs }]);
    expect({ subgraph: name, ...ruleCoverage(schema, subgraph.permissions as Record<string, unknown>) }).toEqual({ subgraph: name, withoutRule: [], stale: [] });
  });
});
