import { Kind, visit, type DocumentNode, type FieldNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

export const EVENT_ID_VARIABLE = '__academyEventId';

export interface EventQuery {
  /** The subscription as a query on `<queryField>(id: $__academyEventId)`, same selection set. */
  document: DocumentNode;
  /** The response key of the root field (its alias, or the subscription field's name). */
  responseKey: string;
}

/**
 * Turns `subscription { certificationStatusChanged(certificateId: ...) { ...anything } }` (or another
 * live field) into the
 * query the gateway runs through the supergraph for each event, so that every field of the event
 * (certificate { course { title } learner { name } }, ...) resolves across subgraphs with the
 * subscriber's own permissions. Fragments, aliases and variables are kept.
 */
export function eventQuery(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  target: { queryField: string; forwardedArguments: readonly string[] },
): EventQuery {
  const field = operation.selectionSet.selections[0] as FieldNode;
  const selectionSet: SelectionSetNode = {
    kind: Kind.SELECTION_SET,
    selections: [
      {
        ...field,
        alias: { kind: Kind.NAME, value: field.alias?.value ?? field.name.value },
        name: { kind: Kind.NAME, value: target.queryField },
        // The subscription's own arguments the query field takes too (certificateId) go along; the others (afterEventId) are the gateway's.
        arguments: [
          ...(field.arguments ?? []).filter((argument) => target.forwardedArguments.includes(argument.name.value)),
          {
            kind: Kind.ARGUMENT,
            name: { kind: Kind.NAME, value: 'id' },
            value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: EVENT_ID_VARIABLE } },
          },
        ],
      },
    ],
  };
  // A variable only an argument left behind used is not declared (an unused one fails validation).
  const used = new Set<string>();
  const collect = { Variable: (node: { name: { value: string } }) => void used.add(node.name.value) };
  visit(selectionSet, collect);
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) visit(definition, collect);
  const rewritten: OperationDefinitionNode = {
    ...operation,
    operation: 'query' as OperationDefinitionNode['operation'],
    variableDefinitions: [
      ...(operation.variableDefinitions ?? []).filter((definition) => used.has(definition.variable.name.value)),
      {
        kind: Kind.VARIABLE_DEFINITION,
        variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: EVENT_ID_VARIABLE } },
        type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } } },
      },
    ],
    selectionSet,
  };
  return {
    document: { ...document, definitions: document.definitions.map((definition) => (definition === operation ? rewritten : definition)) },
    responseKey: field.alias?.value ?? field.name.value,
  };
}
