import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse, type GraphQLSchema } from 'graphql';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** supergraph.yaml, as rover reads it. */
const SupergraphConfig = z.object({
  federation_version: z.string(),
  subgraphs: z.record(
    z.string(),
    z.object({
      routing_url: z.string().url(),
      schema: z.object({ file: z.string() }),
    }),
  ),
});

export interface SubgraphDefinition {
  name: string;
  url: string;
  schemaFile: string;
}

export async function readSupergraphConfig(configFile: string): Promise<SubgraphDefinition[]> {
  const config = SupergraphConfig.parse(parseYaml(await readFile(configFile, 'utf8')));
  return Object.entries(config.subgraphs).map(([name, subgraph]) => ({
    name,
    url: subgraph.routing_url,
    schemaFile: path.resolve(path.dirname(configFile), subgraph.schema.file),
  }));
}

export type CompositionResult = { ok: true; supergraphSdl: string; apiSchema: GraphQLSchema } | { ok: false; errors: string[] };

/** Composes the subgraphs of supergraph.yaml; on disagreement, every composition error. */
export async function composeSupergraph(configFile: string): Promise<CompositionResult> {
  const subgraphs = await readSupergraphConfig(configFile);
  const services = await Promise.all(
    subgraphs.map(async (subgraph) => ({
      name: subgraph.name,
      url: subgraph.url,
      typeDefs: parse(await readFile(subgraph.schemaFile, 'utf8')),
    })),
  );
  const result = composeServices(services);
  if (result.errors) return { ok: false, errors: result.errors.map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`) };
  return { ok: true, supergraphSdl: result.supergraphSdl, apiSchema: result.schema.toAPISchema().toGraphQLJSSchema() };
}
