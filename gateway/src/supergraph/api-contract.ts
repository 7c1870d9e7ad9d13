import {
  astFromValue,
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  print,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

/** Where the v2 additions begin in docs/api-contract.graphql. */
export const V2_MARKER = '# ================================================================ v2 additions';

/** A type as one line per field, argument (with its default), input field or enum value. */
export function signature(type: GraphQLNamedType): string[] {
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

export function signatures(schema: GraphQLSchema): string[] {
  return Object.values(schema.getTypeMap())
    .filter((type) => !type.name.startsWith('__'))
    .flatMap(signature);
}

/** What of the contract an API does not serve: of v1 (must be nothing) and of the v2 additions (landing issue by issue). */
export function contractProgress(contract: string, served: Iterable<string>): { v1Missing: string[]; v2Pending: string[] } {
  const at = contract.indexOf(V2_MARKER);
  if (at < 0) throw new Error('the contract has no v2 additions section');
  const has = new Set(served);
  const v1 = signatures(buildSchema(contract.slice(0, at)));
  const v1Lines = new Set(v1);
  const v2 = signatures(buildSchema(contract)).filter((line) => !v1Lines.has(line));
  return { v1Missing: v1.filter((line) => !has.has(line)).sort(), v2Pending: v2.filter((line) => !has.has(line)).sort() };
}

/** docs/api-contract-v2-pending.txt: the v2 lines not served yet, written by `npm run compose`. */
export function pendingFile(v2Pending: string[]): string {
  return [
    '# v2 additions of the API contract (docs/api-contract.graphql) the supergraph does not serve yet.',
    '# Written by `npm run compose`; gateway/test/api-contract.test.ts checks it against the running gateway.',
    ...v2Pending,
    '',
  ].join('\n');
}
