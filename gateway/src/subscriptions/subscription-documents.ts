import { GraphQLError, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';

/** Valid documents remembered per schema, at most (the apps send a handful of persisted ones; the oldest go first). */
const REMEMBERED = 200;
/** Longer texts are read each time, not remembered (the apps' subscription documents are a few hundred characters). */
const REMEMBERED_LENGTH = 10_000;

/** A subscription document read against the API schema: its AST, or why it is not valid. */
export type ReadDocument = { document: DocumentNode; errors: readonly GraphQLError[] };

/**
 * Subscription documents parsed and validated once per text and schema, not once per
 * subscriber: ten thousand screens subscribed with the apps' one persisted document share one
 * AST (and the event query built from it, see eventQuery), instead of holding ten thousand
 * copies and validating each. Only valid texts are remembered: one that does not parse or
 * validate is read again each time (each is told why, and counted by the limit rules), so
 * garbage cannot fill the memory either.
 */
export class SubscriptionDocuments {
  private schema: GraphQLSchema | null = null;
  private readonly read = new Map<string, ReadDocument>();

  constructor(private readonly rules: readonly ValidationRule[]) {}

  /** The document of `source` and its validation errors (empty: valid); throws parse's GraphQLError. */
  get(schema: GraphQLSchema, source: string, parseOptions: { maxTokens?: number }): ReadDocument {
    if (schema !== this.schema) {
      // A new supergraph: what was valid may not be.
      this.schema = schema;
      this.read.clear();
    }
    const known = this.read.get(source);
    if (known) return known;
    const document = parse(source, parseOptions);
    let errors: readonly GraphQLError[];
    try {
      errors = validate(schema, document, [...specifiedRules, ...this.rules]);
    } catch (error) {
      // graphql-js' subscription rule throws on an invalid @include/@skip value instead of reporting it.
      errors = [error instanceof GraphQLError ? error : new GraphQLError('The document is not valid')];
    }
    const entry = { document, errors };
    if (errors.length > 0 || source.length > REMEMBERED_LENGTH) return entry;
    if (this.read.size >= REMEMBERED) this.read.delete(this.read.keys().next().value!);
    this.read.set(source, entry);
    return entry;
  }
}
