import { Kind, type DocumentNode, type FieldNode, type OperationDefinitionNode } from 'graphql';

export const EVENT_ID_VARIABLE = '__academyEventId';

export interface EventQuery {
  /** The subscription as a query on `<queryField>(id: $__academyEventId)`, same selection set. */
  document: DocumentNode;
  /** The response key of the root field (its alias, or the subscription field's name). */
  responseKey: string;
  /** The subscription field's arguments as written (literals or variables), for filtering. */
  arguments: FieldNode['arguments'];
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
  target: { queryField: string; forwardsArguments: boolean },
): EventQuery {
  const field = operation.selectionSet.selections[0] as FieldNode;
  const rewritten: OperationDefinitionNode = {
    ...operation,
    operation: 'query' as OperationDefinitionNode['operation'],
    variableDefinitions: [
      ...(operation.variableDefinitions ?? []),
      {
        kind: Kind.VARIABLE_DEFINITION,
        variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: EVENT_ID_VARIABLE } },
        type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } } },
      },
    ],
    selectionSet: {
      kind: Kind.SELECTION_SET,
      selections: [
        {
          ...field,
          alias: { kind: Kind.NAME, value: field.alias?.value ?? field.name.value },
          name: { kind: Kind.NAME, value: target.queryField },
          // The subscription's own arguments (certificateId) go along when the query field takes them too.
          arguments: [
            ...(target.forwardsArguments ? (field.arguments ?? []) : []),
            {
              kind: Kind.ARGUMENT,
              name: { kind: Kind.NAME, value: 'id' },
              value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: EVENT_ID_VARIABLE } },
            },
          ],
        },
      ],
    },
  };
  return {
    document: { ...document, definitions: document.definitions.map((definition) => (definition === operation ? rewritten : definition)) },
    responseKey: field.alias?.value ?? field.name.value,
    arguments: field.arguments,
  };
}
