import { readFileSync } from 'node:fs';
import { parse, type DocumentNode } from 'graphql';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { IRules } from 'graphql-shield';
import {
  assertRowLevelSecurity,
  createDatabaseClient,
  createLogger,
  Database,
  serviceDatabaseUrl,
  type ForwardedContext,
  type Logger,
  type ServiceEnvironment,
} from '@academy/platform';
import {
  createSubgraphService,
  type SubgraphBaseContext,
  type SubgraphOwnContext,
  type SubgraphRoute,
  type SubgraphService,
} from './subgraph-service';
import { startTracing } from '@academy/telemetry';

export function loadTypeDefs(schemaFile: string): DocumentNode {
  return parse(readFileSync(schemaFile, 'utf8'));
}

export interface SubgraphDefinition<Dependencies extends { database: Database }, Context extends SubgraphBaseContext> {
  name: string;
  typeDefs: DocumentNode;
  resolvers: unknown;
  permissions: IRules;
  contextFactory(deps: Dependencies): (forwarded: ForwardedContext) => SubgraphOwnContext<Context>;
  /** Routes besides /graphql (SubgraphServiceOptions.routes), built from the same dependencies. */
  routes?(deps: Dependencies & { logger: Logger }): Record<string, SubgraphRoute>;
}

export type SubgraphFactory<Dependencies, Context extends SubgraphBaseContext> = (
  deps: Dependencies & { gatewaySecret: string; logger: Logger; introspection?: boolean },
) => Promise<SubgraphService<Context>>;

/** A subgraph's parts put together: `create<Name>Subgraph(deps)` for processes and tests alike. */
export function defineSubgraph<Dependencies extends { database: Database }, Context extends SubgraphBaseContext>(
  definition: SubgraphDefinition<Dependencies, Context>,
): SubgraphFactory<Dependencies, Context> {
  return (deps) =>
    createSubgraphService<Context>({
      name: definition.name,
      typeDefs: definition.typeDefs,
      resolvers: definition.resolvers as GraphQLResolverMap<Context>,
      permissions: definition.permissions,
      gatewaySecret: deps.gatewaySecret,
      createContext: definition.contextFactory(deps),
      logger: deps.logger,
      introspection: deps.introspection ?? false,
      ready: () => deps.database.prisma.$queryRaw`SELECT 1`.then(() => true),
      ...(definition.routes ? { routes: definition.routes(deps) } : {}),
    });
}

/**
 * Runs a subgraph as a process: its environment, a database pool as the services' role, the
 * logger, the port; SIGTERM/SIGINT close it gracefully. A failure to start is one line, exit 1.
 */
export function serveSubgraph<Environment extends ServiceEnvironment & { PORT: number }>(
  name: string,
  environment: () => Environment,
  start: (base: {
    environment: Environment;
    database: Database;
    logger: Logger;
    onClose(release: () => Promise<unknown>): void;
  }) => Promise<SubgraphService<never>>,
): void {
  void (async () => {
    const parsed = environment();
    const logger = createLogger({ service: name, level: parsed.LOG_LEVEL });
    const releases: (() => Promise<unknown>)[] = [];
    const tracing = startTracing({ service: name, otlpEndpoint: parsed.OTEL_EXPORTER_OTLP_ENDPOINT });
    releases.push(() => tracing.shutdown());
    // Every statement counted in academy_database_statements_total (SQL per operation, npm run bench).
    let subgraph: SubgraphService<never> | undefined;
    const client = createDatabaseClient({
      url: serviceDatabaseUrl(parsed),
      poolSize: parsed.DATABASE_POOL_SIZE,
      applicationName: `academy-${name}`,
      onStatement: (sql) => subgraph?.metrics.countStatement(sql),
    });
    // Reads that tolerate lag go to the replica when there is one (Database.forTenant(..).read).
    const replica = parsed.DATABASE_READ_URL
      ? createDatabaseClient({
          url: parsed.DATABASE_READ_URL,
          poolSize: parsed.DATABASE_POOL_SIZE,
          applicationName: `academy-${name}-read`,
          onStatement: (sql) => subgraph?.metrics.countStatement(sql),
        })
      : null;
    if (replica) releases.push(() => replica.close());
    try {
      // A replica down at start is no reason not to start (reads fall back to the primary); a role that bypasses RLS is.
      if (replica)
        await assertRowLevelSecurity(replica.pool, 'DATABASE_READ_URL').catch((error: Error) => {
          if (error.message.startsWith('DATABASE_READ_URL')) throw error;
          logger.warn({ err: error }, 'the read replica does not answer: reading from the primary until it does');
        });
      subgraph = await start({
        environment: parsed,
        database: new Database(client.prisma, {
          pool: client.pool,
          preparedStatements: parsed.DATABASE_PREPARED_STATEMENTS,
          ...(parsed.DATABASE_READ_SESSIONS ? { sessions: client.sessions, sessionPool: client.sessionPool } : {}),
          ...(replica
            ? {
                replica: replica.prisma,
                onReplicaError: (error: unknown) =>
                  logger.warn({ err: error }, 'the read replica failed: reading from the primary for a while'),
              }
            : {}),
        }),
        logger,
        onClose: (release) => releases.push(release),
      });
      const url = await subgraph.listen(parsed.PORT, parsed.HOST);
      logger.info({ url }, `${name} subgraph ready`);
      let stopping = false;
      const running = subgraph;
      const stop = async () => {
        if (stopping) return;
        stopping = true;
        await running.close();
        for (const release of releases) await release().catch(() => undefined);
        await client.close();
        process.exit(0);
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    } catch (error) {
      process.stderr.write(`${name} subgraph could not start: ${(error as Error).message}\n`);
      for (const release of releases) await release().catch(() => undefined);
      await client.close();
      process.exit(1);
    }
  })();
}
