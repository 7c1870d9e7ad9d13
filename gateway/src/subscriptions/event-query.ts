import { Kind, print, visit, type DocumentNode, type FieldNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

export const EVENT_ID_VARIABLE = '__academyEventId';

export interface EventQuery {
  /** The subscription as a query on `<queryField>(id: $__academyEventId)`, same selection set. */
  document: DocumentNode;
  /** The same, as the text sent for each event (printed once, not per event). */
  text: string;
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
  // Subscriptions of one document share its AST (SubscriptionDocuments), and so its event query.
  const built = BUILT.get(document) ?? new Map<OperationDefinitionNode, EventQuery>();
  BUILT.set(document, built);
  let query = built.get(operation);
  if (!query) built.set(operation, (query = build(document, operation, target)));
  return query;
}

/** The event queries built, by document and operation (a document's operation is always the same live field's). */
const BUILT = new WeakMap<DocumentNode, Map<OperationDefinitionNode, EventQuery>>();

function build(
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
  const query: DocumentNode = {
    ...document,
    definitions: document.definitions.map((definition) => (definition === operation ? rewritten : definition)),
  };
  return {
    document: query,
    text: print(query),
    responseKey: field.alias?.value ?? field.name.value,
  };
}
