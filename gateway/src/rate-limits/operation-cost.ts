import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  Kind,
  valueFromASTUntyped,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { OPERATION_LIMITS } from '../security/operation-limits';

/** Items a list without a `first` argument is assumed to hold (a course's modules, a learner's enrollments). */
export const ASSUMED_LIST_SIZE = 10;

/**
 * Lists known to be short, by `Type.field`: counted at their usual size instead of
 * ASSUMED_LIST_SIZE, so that reading a course's 100 lessons does not cost as if each had ten
 * attachments (a lesson has at most 20, most none or one).
 */
export const ASSUMED_LIST_SIZES: Readonly<Record<string, number>> = {
  'Lesson.attachments': 2,
};

/**
 * What an operation costs against the rate limits: one point per field it may resolve, each
 * multiplied by the sizes of the lists above it. A page's size is its `first` argument (literal
 * or variable, capped as the subgraphs cap it, else the argument's default); lists without one
 * count as ASSUMED_LIST_SIZE. `__typename` is free; an operation costs at least 1.
 *
 * `{ courses(first: 5) { edges { node { id title } } totalCount } }` costs
 * courses 1 + edges 1 + node 5 + id 5 + title 5 + totalCount 1 = 18.
 */
export function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown> = {},
): number {
  const root = schema.getRootType(operation.operation);
  if (!root) return 1;

  const cost = (
    selectionSet: SelectionSetNode,
    type: GraphQLCompositeType,
    multiplier: number,
    pageSize: number | null,
    seen: Set<string>,
  ): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments[selection.name.value];
        if (!fragment || seen.has(fragment.name.value)) continue;
        const on = schema.getType(fragment.typeCondition.name.value);
        if (on && isCompositeType(on))
          total += cost(fragment.selectionSet, on, multiplier, pageSize, new Set([...seen, fragment.name.value]));
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        if (on && isCompositeType(on)) total += cost(selection.selectionSet, on, multiplier, pageSize, seen);
        continue;
      }
      const name = selection.name.value;
      if (name === '__typename' || !('getFields' in type)) continue;
      const field = type.getFields()[name];
      if (!field) continue;
      total += multiplier;
      const fieldType = getNamedType(field.type);
      if (!selection.selectionSet || !isCompositeType(fieldType)) continue;
      // A page size given here applies to the first list below (a connection's edges).
      const firstArgument = field.args.find((arg) => arg.name === 'first');
      let page = pageSize;
      if (firstArgument) {
        const given = selection.arguments?.find((arg) => arg.name.value === 'first');
        const value = given ? valueFromASTUntyped(given.value, variables) : firstArgument.defaultValue;
        page = typeof value === 'number' && value > 0 ? Math.min(value, OPERATION_LIMITS.maxPageSize) : OPERATION_LIMITS.maxPageSize;
      }
      let childMultiplier = multiplier;
      if (isListType(getNullableType(field.type))) {
        childMultiplier *= page ?? ASSUMED_LIST_SIZES[`${type.name}.${name}`] ?? ASSUMED_LIST_SIZE;
        page = null;
      }
      total += cost(selection.selectionSet, fieldType, childMultiplier, page, seen);
    }
    return total;
  };
  return Math.max(1, cost(operation.selectionSet, root, 1, null, new Set()));
}
