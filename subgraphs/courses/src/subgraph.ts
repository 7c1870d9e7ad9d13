import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import { createSubgraphService, type SubgraphService } from '@academy/graphql-http';
import type { Logger } from '@academy/platform';
import { contextFactory, type CoursesDependencies, type SubgraphContext } from './context';
import { permissions } from './permissions';
import { resolvers } from './resolvers';

export const typeDefs = parse(readFileSync(path.join(__dirname, '../schema.graphql'), 'utf8'));

export function createCoursesSubgraph(deps: CoursesDependencies & { gatewaySecret: string; logger: Logger; introspection?: boolean }): Promise<SubgraphService<SubgraphContext>> {
  return createSubgraphService<SubgraphContext>({
    name: 'courses',
    typeDefs,
    resolvers: resolvers as never,
    permissions,
    gatewaySecret: deps.gatewaySecret,
    createContext: contextFactory(deps),
    logger: deps.logger,
    introspection: deps.introspection ?? false,
    ready: () => deps.database.prisma.$queryRaw`SELECT 1`.then(() => true),
  });
}
