import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  print,
  astFromValue,
  type GraphQLNamedType,
  type IntrospectionQuery,
} from 'graphql';
import { startSupergraph, type RunningSupergraph } from '@academy/testing';


function signature(type: GraphQLNamedType): string[] {
  const lines: string[] = [];
  if (isObjectType(type) || isInterfaceType(type)) {
    for (const field of Object.values(type.getFields())) {
      lines.push(`${type.name}.${field.name}: ${String(field.type)}`);
      for (const arg of field.args) {
        const fallback = arg.defaultValue === undefined ? '' : ` = ${print(astFromValue(arg.defaultValue, arg.type)!)}`;
        lines.push(`${type.name}.${field.name}(${arg.name}: ${String(arg.type)}${fallback})`);
      }
    }
  } else if (isInputObjectType(type)) {
    for (const field of Object.values(type.getFields())) {
      const fallback = field.defaultValue === undefined ? '' : ` = ${print(astFromValue(field.defaultValue, field.type)!)}`;
      lines.push(`${type.name}.${field.name}: ${String(field.type)}${fallback}`);
    }
  } else if (isEnumType(type)) {
    for (const value of type.getValues()) lines.push(`${type.name}.${value.name}`);
  } else {
    lines.push(`scalar ${type.name}`);
  }
  return lines;
}

describe('the API contract (docs/api-contract.graphql)', () => {
  let supergraph: RunningSupergraph;
  beforeAll(async () => {
    supergraph = await startSupergraph();
  });
  afterAll(() => supergraph?.close());

  it('is served by the gateway: every type, field, argument, default and enum value, as written', async () => {
    const contract = buildSchema(await readFile(path.resolve(__dirname, '../../docs/api-contract.graphql'), 'utf8'));
    const introspection = await supergraph.request<IntrospectionQuery>(getIntrospectionQuery(), { tenant: 'demo' });
    const api = buildClientSchema(introspection.body.data!);
    const served = new Set(Object.values(api.getTypeMap()).flatMap(signature));
    const missing = Object.values(contract.getTypeMap())
      .filter((type) => !type.name.startsWith('__'))
      .flatMap(signature)
      .filter((line) => !served.has(line));
    expect(missing).toEqual([]);
  });
});
