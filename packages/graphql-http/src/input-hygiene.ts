import type { IMiddlewareFunction } from 'graphql-middleware';
import { BadUserInputError, MAX_PAGE_SIZE, type InputIssue } from '@academy/platform';

/** A UTF-16 surrogate without its other half (the code units, not code points: no `u` flag). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why PostgreSQL's text (and any UTF-8 consumer) cannot take this string; null when it can. */
function stringProblem(value: string): string | null {
  if (value.includes('\u0000')) return 'contains a NUL character';
  if (LONE_SURROGATE.test(value)) return 'is not well-formed Unicode (a lone surrogate)';
  return null;
}

/** Every argument value, walked into input objects and lists; issues named by path (`input.title`, `ids[2]`). */
function collect(value: unknown, field: string, issues: InputIssue[]): void {
  if (typeof value === 'string') {
    const problem = stringProblem(value);
    if (problem) issues.push({ field, message: problem });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => collect(item, `${field}[${index}]`, issues));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      // A JSON argument's keys are data too (jsonb refuses NUL in either).
      const problem = stringProblem(key);
      if (problem) issues.push({ field, message: `has a key that ${problem}` });
      else collect(item, `${field}.${key}`, issues);
    }
  }
}

/**
 * What no field accepts, refused in one place before any rule or resolver sees it, as
 * BAD_USER_INPUT naming the argument:
 * - a string with a NUL character or a lone surrogate, anywhere in an argument (input objects
 *   and lists included): PostgreSQL's text cannot hold either, and a comparison with one fails;
 * - `first` outside 0..MAX_PAGE_SIZE on any list or connection: refused, never silently capped.
 */
export function inputHygiene(args: Record<string, unknown>): void {
  let issues: InputIssue[] | null = null;
  for (const name in args) {
    const value = args[name];
    if (name === 'first' && typeof value === 'number' && (!Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE)) {
      (issues ??= []).push({ field: 'first', message: `must be 0..${MAX_PAGE_SIZE}` });
      continue;
    }
    if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean') continue;
    const found: InputIssue[] = [];
    collect(value, name, found);
    if (found.length > 0) (issues ??= []).push(...found);
  }
  if (issues) {
    const names = [...new Set(issues.map((issue) => `\`${issue.field}\` ${issue.message}`))];
    throw new BadUserInputError(`Invalid input: ${names.join('; ')}`, issues);
  }
}

/**
 * inputHygiene as a graphql-middleware field middleware (every field of the subgraph's schema).
 * Synchronous: no promise of its own per field (graphql-middleware's types say Promise; graphql-js
 * takes either).
 */
export const inputHygieneMiddleware: IMiddlewareFunction = ((resolve, parent, args, context, info) => {
  inputHygiene(args as Record<string, unknown>);
  return resolve(parent, args, context, info);
}) as IMiddlewareFunction;
