import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { GraphQLError, ValidationContext, ValidationRule } from 'graphql';
import type { RejectionReason } from '../telemetry/metrics';

/**
 * What one operation may be. The first-party clients' largest operations (the learner
 * dashboard, a report with its trend) use a fraction of each; the limits are there for what
 * nobody legitimate sends.
 */
export const OPERATION_LIMITS = {
  /** Bytes of a request body (query and variables). */
  maxBodyBytes: 256 * 1024,
  /** Lexical tokens of a document (graphql-js stops parsing past it). */
  maxTokens: 1000,
  /** Nesting of selections (the dashboard is 4 deep). */
  maxDepth: 10,
  /** Aliased fields in a document. */
  maxAliases: 15,
  /** Directives in a document. */
  maxDirectives: 20,
  /**
   * graphql-armor's cost: 1 per scalar, 2 per object, × 1.5 per level, × `first`/`last` given
   * as literals (a page of 100 courses with their instructor costs about 1,100).
   */
  maxCost: 5000,
  /** Items of a list argument such as `first` (larger values are capped, negative refused). */
  maxPageSize: 100,
} as const;

/** The validation rules of the limits, reporting each rejection by reason. */
export function operationLimitRules(onReject: (reason: RejectionReason) => void): ValidationRule[] {
  // Reported to the validation (not thrown), so the client gets a validation error like any other.
  const report = (reason: RejectionReason) => ({
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        context?.reportError(error);
        onReject(reason);
      },
    ],
    propagateOnRejection: false,
    exposeLimits: true,
  });
  return [
    maxDepthRule({ n: OPERATION_LIMITS.maxDepth, ignoreIntrospection: true, ...report('depth') }),
    maxAliasesRule({ n: OPERATION_LIMITS.maxAliases, allowList: ['__typename'], ...report('aliases') }),
    maxDirectivesRule({ n: OPERATION_LIMITS.maxDirectives, ...report('directives') }),
    costLimitRule({ maxCost: OPERATION_LIMITS.maxCost, ignoreIntrospection: true, ...report('cost') }),
  ] as ValidationRule[];
}

/** graphql-js' message when a document has more tokens than `maxTokens`. */
export function isTokenLimitError(message: string): boolean {
  return /Document contains more (?:than|that) \d+ tokens/.test(message);
}

/** Validation messages name fields a client could try ("Did you mean ..."): not in production. */
export function withoutSuggestions(message: string): string {
  return message.replace(/ ?Did you mean .+\?$/, '');
}
