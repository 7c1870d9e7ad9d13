import { isObjectType, type GraphQLSchema } from 'graphql';

export interface RuleCoverage {
  /** `Type.field` with no rule: neither its own nor its type's (graphql-shield denies them). */
  withoutRule: string[];
  /** Rules that name a type or field the schema does not have. */
  stale: string[];
}

/**
 * What a rule tree leaves out of a schema. A type's rule is a rule for the whole type, or a map of
 * field rules where `*` is the rule of every field not named.
 */
export function ruleCoverage(schema: GraphQLSchema, permissions: Record<string, unknown>): RuleCoverage {
  const types = Object.values(schema.getTypeMap()).filter((type) => isObjectType(type) && !type.name.startsWith('__'));
  const withoutRule: string[] = [];
  const stale: string[] = [];
  for (const type of types) {
    const fields = Object.keys((type as { getFields(): object }).getFields());
    const rules = permissions[type.name];
    if (isFieldMap(rules)) {
      if (!('*' in rules)) withoutRule.push(...fields.filter((field) => !(field in rules)).map((field) => `${type.name}.${field}`));
      stale.push(
        ...Object.keys(rules)
          .filter((field) => field !== '*' && !fields.includes(field))
          .map((field) => `${type.name}.${field}`),
      );
    } else if (rules === undefined) {
      withoutRule.push(...fields.map((field) => `${type.name}.${field}`));
    }
  }
  const typeNames = new Set(types.map((type) => type.name));
  stale.push(...Object.keys(permissions).filter((name) => !typeNames.has(name)));
  return { withoutRule: withoutRule.sort(), stale: stale.sort() };
}

/** A plain object of field rules, as opposed to one rule (graphql-shield's rules are class instances). */
function isFieldMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
