import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeServices } from '@apollo/composition';
import { execute, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { SUBGRAPH_NAMES, subgraphSchema, TYPE_DEFS, type FieldSubgraphName } from './subgraphs';

/**
 * A subgraph on bare node:http with graphql-js (parsed and validated documents kept): the same
 * small server in front of every gateway measured, so the gateways are what differs.
 */
export function subgraphServer(schema: GraphQLSchema): http.Server {
  const documents = new Map<string, DocumentNode | readonly Error[]>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        try {
          const { query, variables, operationName } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            query: string;
            variables?: Record<string, unknown>;
            operationName?: string;
          };
          let document = documents.get(query);
          if (!document) {
            const parsed = parse(query);
            const errors = validate(schema, parsed);
            document = errors.length > 0 ? errors : parsed;
            documents.set(query, document);
          }
          const result = Array.isArray(document)
            ? { errors: document.map((error: Error) => ({ message: error.message })) }
            : await execute({
                schema,
                document: document as DocumentNode,
                variableValues: variables ?? {},
                operationName: operationName ?? null,
              });
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(result));
        } catch (error) {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ errors: [{ message: (error as Error).message }] }));
        }
      })();
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

export interface FieldSubgraphs {
  urls: Record<FieldSubgraphName, string>;
  close(): Promise<void>;
}

/** The four subgraphs on ephemeral ports (or `ports`). */
export async function startFieldSubgraphs(ports: Partial<Record<FieldSubgraphName, number>> = {}): Promise<FieldSubgraphs> {
  const servers: http.Server[] = [];
  const urls = {} as Record<FieldSubgraphName, string>;
  for (const name of SUBGRAPH_NAMES) {
    const server = subgraphServer(subgraphSchema(name));
    await new Promise<void>((resolve) => server.listen(ports[name] ?? 0, '127.0.0.1', resolve));
    servers.push(server);
    urls[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  }
  return {
    urls,
    close: async () => {
      for (const server of servers) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}

/** The benchmark's supergraph, composed (Federation 2) with these routing URLs. */
export function composeFieldSupergraph(urls: Record<FieldSubgraphName, string>): string {
  const result = composeServices(SUBGRAPH_NAMES.map((name) => ({ name, url: urls[name], typeDefs: parse(TYPE_DEFS[name]) })));
  if (result.errors) throw new Error(`composition failed: ${result.errors.map((error) => error.message).join('; ')}`);
  return result.supergraphSdl;
}
