import http from 'node:http';
import net from 'node:net';
import { ERROR_CODES } from '@academy/platform';
import { httpRequest } from './http';

/**
 * Schema-aware fuzzing of the supergraph over HTTP: operations generated from a schema (every
 * root field, hostile argument values, random selection sets), malformed documents and malformed
 * HTTP requests, and the invariants every answer must keep (no server error, a contract code on
 * every error, no stack trace or internal host in a message).
 *
 * Neither fast-check nor graphql is a dependency of this package: randomness comes through a
 * `Chooser` (the test makes one from fast-check's `fc.gen()`, a bench from `seededChooser`), and
 * the schema as an introspection result (`introspectionFromSchema(schema).__schema` of graphql,
 * or the answer of `INTROSPECTION_QUERY` from a running gateway).
 */

// ------------------------------------------------------------------ schema (introspection shape)

export interface SchemaTypeRef {
  readonly kind: string;
  readonly name?: string | null;
  readonly ofType?: SchemaTypeRef | null;
}
export interface SchemaInputValue {
  readonly name: string;
  readonly type: SchemaTypeRef;
  readonly defaultValue?: string | null;
}
export interface SchemaField {
  readonly name: string;
  readonly args: readonly SchemaInputValue[];
  readonly type: SchemaTypeRef;
}
export interface SchemaType {
  readonly kind: string;
  readonly name: string;
  readonly fields?: readonly SchemaField[] | null;
  readonly inputFields?: readonly SchemaInputValue[] | null;
  readonly enumValues?: readonly { readonly name: string }[] | null;
  readonly possibleTypes?: readonly { readonly name: string }[] | null;
}
/** What the generator needs of a schema: graphql's `IntrospectionSchema` fits. */
export interface SchemaDescription {
  readonly queryType: { readonly name: string } | null;
  readonly mutationType?: { readonly name: string } | null;
  readonly subscriptionType?: { readonly name: string } | null;
  readonly types: readonly SchemaType[];
}

const TYPE_REF = 'kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }';
/** An introspection query returning what `SchemaDescription` needs (for a bench on a running gateway). */
export const INTROSPECTION_QUERY = `{ __schema { queryType { name } mutationType { name } subscriptionType { name } types { kind name fields(includeDeprecated: true) { name args { name defaultValue type { ${TYPE_REF} } } type { ${TYPE_REF} } } inputFields { name defaultValue type { ${TYPE_REF} } } enumValues(includeDeprecated: true) { name } possibleTypes { name } } } }`;

// ------------------------------------------------------------------ randomness

/** Where the generator's choices come from. */
export interface Chooser {
  /** An integer in [min, max] (both within 32-bit signed integers). */
  int(min: number, max: number): number;
}

/** A Chooser of its own (mulberry32), for runs without fast-check (a bench). */
export function seededChooser(seed: number): Chooser {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { int: (min, max) => min + Math.floor(next() * (max - min + 1)) };
}

const chance = (c: Chooser, p: number) => c.int(0, 9_999) < p * 10_000;
const pick = <T>(c: Chooser, items: readonly T[]): T => items[c.int(0, items.length - 1)]!;
function weighted<T>(c: Chooser, options: readonly (readonly [number, T])[]): T {
  const total = options.reduce((sum, [weight]) => sum + weight, 0);
  let at = c.int(0, Math.max(0, Math.round(total * 1000) - 1)) / 1000;
  for (const [weight, value] of options) {
    if (at < weight) return value;
    at -= weight;
  }
  return options[options.length - 1]![1];
}
const hex = (c: Chooser, digits: number) => Array.from({ length: digits }, () => '0123456789abcdef'[c.int(0, 15)]!).join('');
const randomUuid = (c: Chooser) => `${hex(c, 8)}-${hex(c, 4)}-4${hex(c, 3)}-${pick(c, ['8', '9', 'a', 'b'])}${hex(c, 3)}-${hex(c, 12)}`;

// ------------------------------------------------------------------ hostile values

/** Strings by kind: what goes into String arguments (alone, or after a plausible value). */
export const HOSTILE_STRINGS: Readonly<Record<string, readonly string[]>> = {
  nul: ['\u0000', 'a\u0000b', 'demo\u0000', '\u0000\u0000\u0000'],
  'lone-surrogate': ['\ud800', 'x\udfffy', '\udc00\ud800'],
  long: ['x'.repeat(10_000), 'ñ'.repeat(10_000), '👍'.repeat(5_000)],
  rtl: ['\u202egnp.exe', '\u200f\u05e9\u05dc\u05d5\u05dd\u200e', '\u202bمرحبا\u202c'],
  emoji: ['👩‍👩‍👧‍👦', '🏳️‍🌈🦄🇲🇽', '💩'],
  combining: [`e${'\u0301'.repeat(60)}`, 'Z\u0338\u0322\u031b\u0317\u0347\u031e\u034e', 'n\u0303'],
  sql: ["' OR '1'='1", "'; DROP TABLE users; --", "%_\\'", '%', '_', '\\', "%' --", '$1', '"', "\\'"],
  regex: ['.*', '(?:', '[a-z', '(a+)+$', '\\d{99999}'],
  empty: ['', ' ', '\t', '\n', '\u00a0', '\u200b', '\u3000'],
  markup: ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '](javascript:alert(1))'],
  template: ['{{7*7}}', '${7*7}', '%s%s%s%n', '__proto__', 'constructor', 'toString'],
  path: ['../../../../etc/passwd', 'C:\\Windows\\system32', 'file:///etc/passwd', 'http://169.254.169.254/latest/meta-data/'],
  control: ['\u0001\u0007\u001b[31m\u007f', '\r\n\r\nX-Injected: 1', '\b\f\v'],
  unicode: ['\ufeff', '\uffff', '\ufffd', 'İı', 'ß', 'ﬃ', '𝕏𝔸', 'Ⅻ', '１２３', 'ǅ'],
  'number-like': ['NaN', 'Infinity', '-0', '1e309', '0x10', '9'.repeat(40), '-2147483649'],
  'json-like': ['{"a":1}', '[]', 'null', 'true', '{"__proto__":{"x":1}}'],
  'date-like': ['2026-02-30', '0000-00-00', '9999-12-31T23:59:59Z', '2026-13-01T00:00:00Z'],
};

/** Plausible values by argument or input field name: they pass the first checks, so the hostile parts reach further. */
const HINTS: readonly (readonly [RegExp, readonly string[]])[] = [
  [
    /email/i,
    ['learner@demo.academy.mx', 'LEARNER@DEMO.ACADEMY.MX', 'nobody@demo.academy.mx', 'a@b', '@', `x@${'a'.repeat(300)}.mx`, 'a+b@x.mx'],
  ],
  [/password/i, ['academy-demo-2026', 'short', 'x'.repeat(10), 'ñ'.repeat(12), ' '.repeat(12)]],
  [/currency/i, ['MXN', 'USD', 'mxn', 'XXX', 'MX', 'MXNN']],
  [/locale|language/i, ['es-MX', 'en', 'en-US', 'zz-ZZ', 'es_MX', 'x-'.repeat(20)]],
  [/timezone/i, ['America/Mexico_City', 'UTC', 'Mars/Olympus', 'Etc/GMT+14', '+05:00']],
  [/color/i, ['#FF00FF', '#fff', 'red', '#GGGGGG', '#ff00ff00']],
  [/rfc/i, ['ABC680524P76', 'XAXX010101000', 'abc', 'ABC680524P7']],
  [/curp/i, ['GODE561231HDFRRN09', 'GODE561231HDFRRN0', 'XXXX000000XXXXXX00']],
  [/slug/i, ['demo', 'cooperativa-sol', 'www', 'api', 'a', 'a-', `a${'b'.repeat(60)}`]],
  [/url/i, ['https://example.com/v.mp4', 'javascript:alert(1)', 'http://127.0.0.2/', 'ftp://x']],
  [/contentType/i, ['image/png', 'application/pdf', 'text/html', 'image/svg+xml', '*/*']],
  [/fileName|name/i, ['foto.png', 'a.pdf', '.htaccess', 'a/b.png', 'con.txt', 'Nombre Apellido']],
  [/code/i, ['EC0217.01', 'EC0301', 'DESCUENTO10', 'ec0217.01', 'EC9999']],
];

export interface ValuePools {
  /** Ids of real rows (of the tenant, and of another): arguments then reach real data. */
  ids?: readonly string[];
  /** Real strings (slugs, verification codes, coupon codes, standard codes). */
  strings?: readonly string[];
}

/** A value as the generator holds it: it prints inline (enums bare) and as JSON (variables). */
type Value =
  | { t: 'string'; v: string }
  | { t: 'number'; v: number }
  | { t: 'boolean'; v: boolean }
  | { t: 'null' }
  | { t: 'enum'; v: string }
  | { t: 'list'; v: Value[] }
  | { t: 'object'; v: [string, Value][] }
  | { t: 'json'; v: unknown };

function toJson(value: Value): unknown {
  switch (value.t) {
    case 'null':
      return null;
    case 'list':
      return value.v.map(toJson);
    case 'object':
      return Object.fromEntries(value.v.map(([key, item]) => [key, toJson(item)]));
    default:
      return value.v;
  }
}

function jsonLiteral(json: unknown): string {
  if (json === null || typeof json !== 'object') return JSON.stringify(json) ?? 'null';
  if (Array.isArray(json)) return `[${json.map(jsonLiteral).join(', ')}]`;
  return `{${Object.entries(json as Record<string, unknown>)
    .map(([key, item]) => `${/^[_A-Za-z][_0-9A-Za-z]*$/.test(key) ? key : '_bad_key'}: ${jsonLiteral(item)}`)
    .join(', ')}}`;
}

function toLiteral(value: Value): string {
  switch (value.t) {
    case 'string':
      return JSON.stringify(value.v);
    case 'number':
      return Number.isFinite(value.v) ? String(value.v) : '0';
    case 'boolean':
      return String(value.v);
    case 'null':
      return 'null';
    case 'enum':
      return value.v;
    case 'list':
      return `[${value.v.map(toLiteral).join(', ')}]`;
    case 'object':
      return `{${value.v.map(([key, item]) => `${key}: ${toLiteral(item)}`).join(', ')}}`;
    case 'json':
      return jsonLiteral(value.v);
  }
}

const typeString = (ref: SchemaTypeRef): string =>
  ref.kind === 'NON_NULL' ? `${typeString(ref.ofType!)}!` : ref.kind === 'LIST' ? `[${typeString(ref.ofType!)}]` : ref.name!;
const namedOf = (ref: SchemaTypeRef): string => (ref.ofType ? namedOf(ref.ofType) : ref.name!);

// ------------------------------------------------------------------ operations

export interface FuzzOperation {
  /** `Query.course`, `Mutation.checkout`, … or `malformed:<kind>`. */
  target: string;
  /** Where the values went and what kind each was: `input.title: string/nul (variable)`. */
  values: string[];
  query: string;
  /** Undefined: the body has no `variables`. */
  variables?: Record<string, unknown>;
  operationName?: string;
  /** Name of the identity that sends it (its token is the sender's to know). */
  identity: string;
  /** X-Tenant; null: the tenant in the path `/t/<slug>/graphql` when `path` is set, or none. */
  tenant: string | null;
  path?: string;
}

export interface FuzzerOptions {
  /** Who sends the operations, and how often. */
  identities: readonly (readonly [weight: number, name: string])[];
  /** Tenant slugs in X-Tenant, and how often (a null slug: the tenant in the path instead). */
  tenants: readonly (readonly [weight: number, slug: string | null])[];
  pools?: ValuePools;
  /** Object fields nested at most this deep (the root field is 1). Default 3. */
  maxDepth?: number;
  /** Share of plain malformed documents. Default 0.06. */
  malformedShare?: number;
  /** Share of operations that may also break GraphQL's rules (wrong types, nulls, missing arguments). Default 0.3. */
  faultShare?: number;
}

interface Build {
  variables: Record<string, unknown>;
  definitions: string[];
  values: string[];
  counter: number;
}

export class SchemaFuzzer {
  readonly rootFields: { operation: 'query' | 'mutation' | 'subscription'; type: string; field: SchemaField }[] = [];
  private readonly types = new Map<string, SchemaType>();
  private readonly maxDepth: number;
  /** Whether the operation being generated may break the rules of GraphQL (wrong types, missing arguments): ~30% do. */
  private faulty = false;

  constructor(
    readonly schema: SchemaDescription,
    private readonly options: FuzzerOptions,
  ) {
    for (const type of schema.types) this.types.set(type.name, type);
    this.maxDepth = options.maxDepth ?? 3;
    const roots = [
      ['query', schema.queryType],
      ['mutation', schema.mutationType],
      ['subscription', schema.subscriptionType],
    ] as const;
    for (const [operation, ref] of roots) {
      const type = ref && this.types.get(ref.name);
      for (const field of type?.fields ?? []) this.rootFields.push({ operation, type: type!.name, field });
    }
  }

  /** One case: mostly an operation on a random root field, sometimes a malformed document. */
  operation(c: Chooser): FuzzOperation {
    const identity = weighted(c, this.options.identities);
    const tenant = weighted(c, this.options.tenants);
    const where = tenant === null ? { tenant: null, path: '/t/demo/graphql' } : { tenant };
    if (chance(c, this.options.malformedShare ?? 0.06)) return { ...this.malformed(c), identity, ...where };
    return { ...this.wellFormed(c), identity, ...where };
  }

  private wellFormed(c: Chooser): Omit<FuzzOperation, 'identity' | 'tenant'> {
    const root = pick(c, this.rootFields);
    const build: Build = { variables: {}, definitions: [], values: [], counter: 0 };
    this.faulty = chance(c, this.options.faultShare ?? 0.3);
    const selections = [this.fieldSelection(c, root.field, 1, build, '')];
    // Sometimes the same field again under an alias, or another root field beside it.
    if (chance(c, 0.06)) selections.push(this.fieldSelection(c, root.field, 1, build, 'again: '));
    if (chance(c, 0.06)) {
      const other = pick(
        c,
        this.rootFields.filter((candidate) => candidate.operation === root.operation),
      );
      selections.push(this.fieldSelection(c, other.field, 1, build, 'other: '));
    }
    if (this.fault(c, 0.05)) {
      // A variable never used (of a type that may not even exist).
      build.definitions.push(`$unused${build.counter++}: ${pick(c, ['String', 'Int!', '[ID!]!', 'Nope'])}`);
      build.values.push('unused variable');
    }
    if (chance(c, 0.03)) {
      build.variables[pick(c, ['extra', '__proto__', '\u0000', ''])] = { nested: [1, 'x'] };
      build.values.push('extra variable value');
    }
    const named = chance(c, 0.5);
    const operationName = named ? `Fuzz${c.int(0, 9_999)}` : undefined;
    const header =
      root.operation === 'query' && !named && build.definitions.length === 0 && chance(c, 0.5)
        ? ''
        : `${root.operation}${named ? ` ${operationName}` : ''}${build.definitions.length ? `(${build.definitions.join(', ')})` : ''} `;
    const asVariables = Object.keys(build.variables).length > 0 || chance(c, 0.5);
    return {
      target: `${root.type}.${root.field.name}`,
      values: build.values,
      query: `${header}{ ${selections.join(' ')} }`,
      ...(asVariables ? { variables: build.variables } : {}),
      ...(operationName && chance(c, 0.7) ? { operationName } : {}),
    };
  }

  private fieldSelection(c: Chooser, field: SchemaField, depth: number, build: Build, alias: string): string {
    const args = this.arguments(c, field.args, build, depth === 1 ? '' : `${field.name}.`);
    const named = this.types.get(namedOf(field.type));
    const directive = chance(c, 0.02) ? ` @include(if: ${this.fault(c, 0.5) ? '"yes"' : 'true'})` : '';
    if (!named || named.kind === 'SCALAR' || named.kind === 'ENUM') {
      if (!this.fault(c, 0.01)) return `${alias}${field.name}${args}${directive}`;
      build.values.push(`${field.name}: leaf with a selection`);
      return `${alias}${field.name}${args}${directive} { id }`;
    }
    if (this.fault(c, 0.01)) {
      build.values.push(`${field.name}: object without a selection`);
      return `${alias}${field.name}${args}${directive}`;
    }
    return `${alias}${field.name}${args}${directive} { ${this.selectionSet(c, named, depth, build)} }`;
  }

  private selectionSet(c: Chooser, type: SchemaType, depth: number, build: Build): string {
    if (type.kind === 'UNION' || type.kind === 'INTERFACE') {
      const parts = ['__typename'];
      const possible = type.possibleTypes ?? [];
      for (let i = 0, n = Math.min(possible.length, c.int(1, 2)); i < n; i += 1) {
        const on = this.types.get(pick(c, possible).name);
        if (on) parts.push(`... on ${on.name} { ${this.selectionSet(c, on, depth, build)} }`);
      }
      return parts.join(' ');
    }
    const fields = type.fields ?? [];
    const leaves = fields.filter((field) => this.isLeaf(field.type));
    const candidates = depth >= this.maxDepth ? leaves : fields;
    const parts: string[] = [];
    const seen = new Map<string, number>();
    for (let i = 0, n = c.int(1, Math.min(4, Math.max(1, candidates.length))); i < n && candidates.length; i += 1) {
      const field = pick(c, candidates);
      const times = seen.get(field.name) ?? 0;
      seen.set(field.name, times + 1);
      // The same field twice with other arguments needs an alias.
      const alias = times > 0 ? `${field.name}${times}: ` : '';
      parts.push(this.fieldSelection(c, field, depth + 1, build, alias));
    }
    if (parts.length === 0 || chance(c, 0.1)) parts.push('__typename');
    return parts.join(' ');
  }

  /** A fault, with this probability, in a faulty operation only. */
  private fault(c: Chooser, probability: number): boolean {
    return this.faulty && chance(c, probability);
  }

  private isLeaf(ref: SchemaTypeRef): boolean {
    const kind = this.types.get(namedOf(ref))?.kind;
    return kind === 'SCALAR' || kind === 'ENUM';
  }

  private arguments(c: Chooser, args: readonly SchemaInputValue[], build: Build, prefix: string): string {
    const parts: string[] = [];
    for (const arg of args) {
      const required = arg.type.kind === 'NON_NULL' && arg.defaultValue == null;
      if (required ? this.fault(c, 0.05) : chance(c, 0.4)) {
        if (required) build.values.push(`${prefix}${arg.name}: missing`);
        continue;
      }
      const generated = this.value(c, arg.type, arg.name, 0, `${prefix}${arg.name}`);
      const asVariable = chance(c, 0.45);
      if (asVariable) {
        const name = `v${build.counter++}`;
        const declared = this.fault(c, 0.04) ? pick(c, ['String', 'Int', 'ID', 'Boolean!', '[String]']) : typeString(arg.type);
        build.definitions.push(`$${name}: ${declared}`);
        if (declared !== typeString(arg.type)) build.values.push(`${prefix}${arg.name}: variable declared ${declared}`);
        if (!this.fault(c, 0.03)) build.variables[name] = toJson(generated.value);
        else build.values.push(`${prefix}${arg.name}: variable value missing`);
        parts.push(`${arg.name}: $${name}`);
      } else {
        parts.push(`${arg.name}: ${toLiteral(generated.value)}`);
      }
      for (const kind of generated.kinds) build.values.push(`${kind} (${asVariable ? 'variable' : 'inline'})`);
    }
    if (this.fault(c, 0.01)) {
      parts.push(`unknownArgument: ${pick(c, ['1', '"x"', 'null'])}`);
      build.values.push(`${prefix}unknownArgument`);
    }
    return parts.length ? `(${parts.join(', ')})` : '';
  }

  /** A value for an input type: mostly well-typed and hostile, sometimes null or of a wrong type. */
  private value(c: Chooser, ref: SchemaTypeRef, name: string, depth: number, path: string): { value: Value; kinds: string[] } {
    const roll = c.int(0, 99);
    if (roll < 5 && (ref.kind !== 'NON_NULL' || this.faulty))
      return { value: { t: 'null' }, kinds: [`${path}: null${ref.kind === 'NON_NULL' ? ' for non-null' : ''}`] };
    if (roll >= 5 && roll < 12 && this.faulty) {
      const wrong = this.wrongValue(c, namedOf(ref));
      return { value: wrong.value, kinds: [`${path}: wrong type/${wrong.kind}`] };
    }
    const type = ref.kind === 'NON_NULL' ? ref.ofType! : ref;
    if (type.kind === 'LIST') {
      const size = weighted(c, [
        [70, c.int(0, 3)],
        [5, 0],
        [3, 100],
        [1, 1_000],
      ] as const);
      if (size > 0 && chance(c, 0.05)) {
        // A single value where a list is expected (GraphQL coerces it).
        return this.value(c, type.ofType!, name, depth + 1, `${path}[single]`);
      }
      const items: Value[] = [];
      const kinds: string[] = size >= 100 ? [`${path}: list of ${size}`] : [];
      for (let i = 0; i < size; i += 1) {
        const item = this.value(c, type.ofType!, name, depth + 1, `${path}[${i}]`);
        items.push(item.value);
        if (size < 100) kinds.push(...item.kinds);
      }
      return { value: { t: 'list', v: items }, kinds };
    }
    const named = this.types.get(type.name!);
    if (named?.kind === 'ENUM') return this.enumValue(c, named, path);
    if (named?.kind === 'INPUT_OBJECT') return this.inputObject(c, named, depth, path);
    return this.scalar(c, type.name!, name, path);
  }

  private inputObject(c: Chooser, type: SchemaType, depth: number, path: string): { value: Value; kinds: string[] } {
    const entries: [string, Value][] = [];
    const kinds: string[] = [];
    for (const field of type.inputFields ?? []) {
      const required = field.type.kind === 'NON_NULL' && field.defaultValue == null;
      if (required ? this.fault(c, 0.03) : chance(c, 0.5)) {
        if (required) kinds.push(`${path}.${field.name}: missing`);
        continue;
      }
      if (depth > 6) continue;
      const item = this.value(c, field.type, field.name, depth + 1, `${path}.${field.name}`);
      entries.push([field.name, item.value]);
      kinds.push(...item.kinds);
    }
    if (this.fault(c, 0.03)) {
      entries.push(['unknownField', { t: 'string', v: 'x' }]);
      kinds.push(`${path}: unknown field`);
    }
    return { value: { t: 'object', v: entries }, kinds };
  }

  private enumValue(c: Chooser, type: SchemaType, path: string): { value: Value; kinds: string[] } {
    const values = (type.enumValues ?? []).map((value) => value.name);
    if (values.length && !this.fault(c, 0.2)) return { value: { t: 'enum', v: pick(c, values) }, kinds: [] };
    const valid = values.length ? pick(c, values) : 'X';
    const invalid = weighted<Value>(c, [
      [3, { t: 'enum', v: 'NOT_A_VALUE' }],
      [2, { t: 'enum', v: valid.toLowerCase() }],
      [2, { t: 'string', v: valid }],
      [1, { t: 'string', v: `${valid}\u0000` }],
      [1, { t: 'string', v: '' }],
      [1, { t: 'number', v: 1 }],
    ]);
    return { value: invalid, kinds: [`${path}: invalid enum`] };
  }

  private scalar(c: Chooser, type: string, name: string, path: string): { value: Value; kinds: string[] } {
    switch (type) {
      case 'Int': {
        const [kind, v] = weighted(c, [
          [5, ['int/edge', pick(c, [-2147483648, -1, 0, 1, 2, 3, 5, 10, 20, 50, 100, 101, 1000, 2147483647])]],
          [2, ['int/random', c.int(-2147483648, 2147483647)]],
          [this.faulty ? 1 : 0, ['int/out-of-range', pick(c, [2147483648, -2147483649, 2 ** 53 + 2, 1e20])]],
          [this.faulty ? 1 : 0, ['int/fraction', pick(c, [1.5, -0.5, 0.0001])]],
        ] as const);
        return { value: { t: 'number', v }, kinds: kind === 'int/edge' && v >= 0 && v <= 100 ? [] : [`${path}: ${kind} ${v}`] };
      }
      case 'Float': {
        const v = pick(c, [0, -1, 0.5, 1e308, -1e308, 5e-324, 100.0001, 2147483648.5, 1e21]);
        return { value: { t: 'number', v }, kinds: [`${path}: float ${v}`] };
      }
      case 'Boolean':
        return { value: { t: 'boolean', v: chance(c, 0.5) }, kinds: [] };
      case 'ID':
        return this.id(c, path);
      case 'DateTime': {
        const [kind, v] = weighted<readonly [string, Value]>(c, [
          [4, ['date/valid', { t: 'string', v: new Date(Date.UTC(2026, 0, 1) + c.int(-400, 400) * 86_400_000).toISOString() }]],
          [
            2,
            [
              'date/edge',
              {
                t: 'string',
                v: pick(c, [
                  '1970-01-01T00:00:00Z',
                  '0001-01-01T00:00:00Z',
                  '9999-12-31T23:59:59.999Z',
                  '+275760-09-13T00:00:00Z',
                  '1969-12-31T23:59:59Z',
                  '2026-12-01',
                ]),
              },
            ],
          ],
          [
            2,
            [
              'date/invalid',
              { t: 'string', v: pick(c, ['2026-02-30T00:00:00Z', 'not a date', '', '2026-12-01T25:61:00Z', 'yesterday', '0']) },
            ],
          ],
          [1, ['date/number', { t: 'number', v: pick(c, [0, -1, 1e15, 8.64e15 + 1]) }]],
          [1, ['date/hostile', { t: 'string', v: this.hostileString(c, name).v }]],
        ]);
        return { value: v, kinds: kind === 'date/valid' ? [] : [`${path}: ${kind}`] };
      }
      case 'JSON': {
        const [kind, v] = this.jsonValue(c);
        return { value: { t: 'json', v }, kinds: [`${path}: json/${kind}`] };
      }
      default: {
        // String, and any other scalar.
        const generated = this.hostileString(c, name);
        return {
          value: { t: 'string', v: generated.v },
          kinds: generated.kind === 'plausible' ? [] : [`${path}: string/${generated.kind}`],
        };
      }
    }
  }

  private id(c: Chooser, path: string): { value: Value; kinds: string[] } {
    const known = this.options.pools?.ids ?? [];
    const some = () => (known.length ? pick(c, known) : randomUuid(c));
    const [kind, value] = weighted<readonly [string, Value]>(c, [
      [known.length ? 35 : 0, ['known', { t: 'string', v: some() }]],
      [20, ['random-uuid', { t: 'string', v: randomUuid(c) }]],
      [
        12,
        [
          'uuid-variant',
          {
            t: 'string',
            v: pick(c, [
              '00000000-0000-0000-0000-000000000000',
              'ffffffff-ffff-ffff-ffff-ffffffffffff',
              some().toUpperCase(),
              ` ${some()} `,
              `${some()}\u0000`,
              some().slice(0, 35),
              `{${some()}}`,
              some().replace(/-/g, ''),
              `${some()}x`,
            ]),
          },
        ],
      ],
      [
        13,
        [
          'malformed',
          {
            t: 'string',
            v: pick(c, ['not-an-id', '1', '-1', '0', '', ' ', "' OR 1=1 --", 'x'.repeat(10_000), '../', 'null', '%', '*']),
          },
        ],
      ],
      [5, ['number', { t: 'number', v: pick(c, [0, 1, -1, 2147483647, 2 ** 53 + 2]) }]],
      [15, ['hostile', { t: 'string', v: this.hostileString(c, 'id').v }]],
    ]);
    return { value, kinds: kind === 'known' ? [] : [`${path}: id/${kind}`] };
  }

  /** A string of some hostile kind, sometimes after a plausible value; `plausible` alone now and then. */
  private hostileString(c: Chooser, name: string): { kind: string; v: string } {
    const hint = HINTS.find(([pattern]) => pattern.test(name))?.[1];
    const pool = this.options.pools?.strings ?? [];
    const plausible = () => (hint && (chance(c, 0.7) || !pool.length) ? pick(c, hint) : pool.length ? pick(c, pool) : 'x');
    const roll = c.int(0, 99);
    if (roll < 15) return { kind: 'plausible', v: plausible() };
    if (roll < 22) return { kind: 'random-unicode', v: this.randomUnicode(c) };
    const kind = pick(c, Object.keys(HOSTILE_STRINGS));
    const hostile = pick(c, HOSTILE_STRINGS[kind]!);
    if (roll < 60) return { kind, v: hostile };
    return chance(c, 0.5) ? { kind, v: `${plausible()}${hostile}` } : { kind, v: `${hostile}${plausible()}` };
  }

  private randomUnicode(c: Chooser): string {
    let text = '';
    for (let i = 0, n = c.int(1, 40); i < n; i += 1) {
      const point = weighted(c, [
        [4, c.int(0x20, 0x7e)],
        [2, c.int(0xa0, 0x2fff)],
        [1, c.int(0xe000, 0xfffd)],
        [1, c.int(0x10000, 0x10ffff)],
        [1, c.int(0, 0x1f)],
      ] as const);
      text += String.fromCodePoint(point);
    }
    return text;
  }

  private jsonValue(c: Chooser): [string, unknown] {
    const tree = (depth: number): unknown => {
      const roll = c.int(0, depth > 3 ? 5 : 9);
      if (roll <= 1) return c.int(-1000, 1000) / pick(c, [1, 10, 1000]);
      if (roll === 2) return this.hostileString(c, 'json').v;
      if (roll === 3) return chance(c, 0.5);
      if (roll <= 5) return null;
      if (roll <= 7) return Array.from({ length: c.int(0, 3) }, () => tree(depth + 1));
      return Object.fromEntries(
        Array.from({ length: c.int(0, 3) }, () => [pick(c, ['hours', 'kgCo2eAvoided', 'a', '', '\u0000', '__proto__']), tree(depth + 1)]),
      );
    };
    const [kind, make] = weighted<readonly [string, () => unknown]>(c, [
      [5, ['tree', () => tree(0)]],
      [1, ['proto', () => JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}')]],
      [1, ['deep', () => JSON.parse(`${'['.repeat(500)}1${']'.repeat(500)}`)]],
      [1, ['wide', () => Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`k${i}`, i]))]],
      [1, ['number', () => pick(c, [1e308, -1e308, 5e-324, 2 ** 53 + 2])]],
      [1, ['string', () => this.hostileString(c, 'json').v]],
    ]);
    return [kind, make()];
  }

  private wrongValue(c: Chooser, type: string): { kind: string; value: Value } {
    const named = this.types.get(type);
    const stringish = type === 'String' || type === 'ID' || type === 'DateTime' || type === 'JSON';
    const options: (readonly [number, { kind: string; value: Value }])[] = [
      [type === 'JSON' ? 0 : 3, { kind: 'object', value: { t: 'object', v: [['a', { t: 'number', v: 1 }]] } }],
      [
        type === 'JSON' ? 0 : 2,
        {
          kind: 'list',
          value: {
            t: 'list',
            v: [
              { t: 'string', v: 'x' },
              { t: 'number', v: 2 },
            ],
          },
        },
      ],
      [type === 'Boolean' || type === 'JSON' ? 0 : 2, { kind: 'boolean', value: { t: 'boolean', v: true } }],
      [stringish ? 0 : 3, { kind: 'string', value: { t: 'string', v: pick(c, ['5', 'true', 'x', '']) } }],
      [type === 'String' || named?.kind === 'ENUM' ? 2 : 0, { kind: 'number', value: { t: 'number', v: 5 } }],
      [type === 'Float' || type === 'JSON' ? 0 : 1, { kind: 'float', value: { t: 'number', v: 1.5 } }],
      [named?.kind === 'ENUM' || type === 'JSON' ? 0 : 1, { kind: 'enum-literal', value: { t: 'enum', v: 'SOMETHING' } }],
    ];
    // Every value is a JSON: none is of a wrong type there.
    const possible = options.filter(([weight]) => weight > 0);
    return possible.length ? weighted(c, possible) : options[0]![1];
  }

  // -------------------------------------------------------------- malformed documents

  private malformed(c: Chooser): Omit<FuzzOperation, 'identity' | 'tenant'> {
    const queryFields = this.rootFields.filter((root) => root.operation === 'query').map((root) => root.field);
    const leafQueryField = () => {
      const simple = queryFields.filter((field) => field.args.every((arg) => arg.type.kind !== 'NON_NULL'));
      const field = pick(c, simple.length ? simple : queryFields);
      const named = this.types.get(namedOf(field.type));
      const leaf = named?.fields?.find((candidate) => this.isLeaf(candidate.type));
      return named?.fields ? `${field.name} { ${leaf?.name ?? '__typename'} }` : field.name;
    };
    const valid = () => this.wellFormed(c).query;
    const kinds: (readonly [number, () => [string, string, Partial<FuzzOperation>?]])[] = [
      [
        4,
        () => {
          const text = valid();
          return ['syntax:truncated', text.slice(0, c.int(0, Math.max(0, text.length - 1)))];
        },
      ],
      [2, () => ['syntax:garbage', this.randomUnicode(c)]],
      [1, () => ['syntax:unclosed-string', `{ ${queryFields[0]?.name ?? 'me'}(x: "abc) { id } }`]],
      [1, () => ['syntax:raw-nul', `{ __typename\u0000 }`]],
      [1, () => ['syntax:raw-control-in-string', `query { __type(name: "Us\u0001er") { name } }`]],
      [1, () => ['syntax:lone-surrogate-in-string', `query { __type(name: "\ud800") { name } }`]],
      [2, () => ['unknown-field', `{ ${pick(c, queryFields).name}Nope }`]],
      [2, () => ['unknown-nested-field', `{ ${leafQueryField().replace(/\{ \w+ \}$/, '{ nope }')} }`]],
      [1, () => ['unknown-type', `query ($a: Nope) { __typename }`, { variables: { a: 1 } }]],
      [
        2,
        () => [
          'aliases:100',
          `{ ${Array.from({ length: 100 }, (_, i) => `a${i}: ${chance(c, 0.5) ? '__typename' : leafQueryField()}`).join(' ')} }`,
        ],
      ],
      [2, () => ['deep-nesting', this.deepDocument(c, c.int(8, 40))]],
      [1, () => ['deep-braces', `${'{ '.repeat(2_000)}${'} '.repeat(2_000)}`]],
      [1, () => ['deep-list-literal', `{ __type(name: ${'['.repeat(300)}"x"${']'.repeat(300)}) { name } }`]],
      [1, () => ['tokens:1001', `{ ${'__typename '.repeat(1_001)}}`]],
      [1, () => ['fragments:cycle', `{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }`]],
      [1, () => ['fragments:unknown', `{ ...Nope }`]],
      [1, () => ['fragments:wrong-type', `{ ...A } fragment A on Nope { id }`]],
      [1, () => ['operations:unnamed-several', `query A { __typename } query B { __typename }`]],
      [1, () => ['operations:unknown-name', `query A { __typename }`, { operationName: 'B' }]],
      [1, () => ['operations:anonymous-and-named', `{ __typename } query A { __typename }`]],
      [1, () => ['variables:duplicate', `query ($a: Int, $a: Int) { __typename }`]],
      [1, () => ['variables:undefined', `{ ${pick(c, queryFields).name}(id: $nope) { __typename } }`]],
      [1, () => ['variables:not-input-type', `query ($a: ${pick(c, ['User', 'Query', 'Course'])}) { __typename }`]],
      [1, () => ['directives:unknown', `{ __typename @nope }`]],
      [1, () => ['directives:many', `{ __typename ${'@skip(if: false) '.repeat(30)}}`]],
      [1, () => ['directives:bad-argument', `query ($b: String) { __typename @include(if: $b) }`, { variables: { b: 'yes' } }]],
      [1, () => ['empty', pick(c, ['', '   ', '# only a comment', '\n\n'])]],
      [1, () => ['introspection', `{ __schema { types { name fields { name type { name ofType { name } } } } } }`]],
      [1, () => ['mutation-of-query-field', `mutation { ${leafQueryField()} }`]],
      [
        1,
        () => {
          const subscriptions = this.rootFields.filter((root) => root.operation === 'subscription');
          const name = subscriptions.length ? pick(c, subscriptions).field.name : 'x';
          return ['subscription:two-root-fields', `subscription { a: ${name} { __typename } b: ${name} { __typename } }`];
        },
      ],
      [1, () => ['query-and-subscription', `query A { __typename } subscription B { __typename }`, { operationName: 'B' }]],
    ];
    const [kind, query, extra] = weighted(c, kinds)();
    return { target: `malformed:${kind}`, values: [], query, variables: {}, ...extra };
  }

  /** Object fields without required arguments, one inside another, as deep as the schema's cycles go. */
  private deepDocument(c: Chooser, depth: number): string {
    let type = this.types.get(this.schema.queryType?.name ?? 'Query');
    const path: string[] = [];
    for (let level = 0; level < depth && type; level += 1) {
      const next = (type.fields ?? []).filter(
        (field) => !this.isLeaf(field.type) && field.args.every((arg) => arg.type.kind !== 'NON_NULL' || arg.defaultValue != null),
      );
      if (!next.length) break;
      const field = pick(c, next);
      path.push(field.name);
      type = this.types.get(namedOf(field.type));
      if (type && type.kind !== 'OBJECT') break;
    }
    return `{ ${path.map((name) => `${name} { `).join('')}__typename${' }'.repeat(path.length)} }`;
  }
}

// ------------------------------------------------------------------ malformed HTTP

export interface HttpCase {
  name: string;
  /** What violations of it are grouped by (default: its name). */
  group?: string;
  method?: string;
  /** Default /graphql. */
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Raw bytes on a socket instead (the request line and headers included); whatever answers, if anything, is checked. */
  raw?: string;
  /** A response without a JSON body is fine (HEAD, a raw request Node's parser refuses). */
  bodyOptional?: boolean;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const SIMPLE_QUERY = '{ viewerTenant { slug } }';
/** A POST to /graphql with X-Tenant demo, or to `path` (which names its tenant) without it. */
const post = (name: string, body: string | Buffer, headers: Record<string, string> = JSON_TYPE, path?: string): HttpCase => ({
  name,
  method: 'POST',
  headers: { ...(path ? {} : { 'x-tenant': 'demo' }), ...headers },
  body,
  ...(path ? { path } : {}),
});
const json = (value: unknown) => JSON.stringify(value);

/** The fixed list: each a way of getting the request wrong. */
export const MALFORMED_REQUESTS: readonly HttpCase[] = [
  post('invalid JSON', '{"query": "{ viewerTenant { slug } }"'),
  post('not JSON at all', '{query: 1}'),
  post('JSON with a trailing comma', '{"query":"{ __typename }",}'),
  post('a NUL byte as the body', '\u0000'),
  post('a JSON string body', json('just a string')),
  post('a JSON number body', '42'),
  post('a JSON null body', 'null'),
  post('a JSON true body', 'true'),
  post('a batched array', json([{ query: SIMPLE_QUERY }, { query: SIMPLE_QUERY }])),
  post('an empty array', '[]'),
  post('an object without query', '{}'),
  post('query a number', json({ query: 42 })),
  post('query null', json({ query: null })),
  post('query an object', json({ query: {} })),
  post('query an array', json({ query: [SIMPLE_QUERY] })),
  post('query an empty string', json({ query: '' })),
  post('variables a string', json({ query: SIMPLE_QUERY, variables: 'x' })),
  post('variables a JSON string', json({ query: SIMPLE_QUERY, variables: '{"a":1}' })),
  post('variables an array', json({ query: SIMPLE_QUERY, variables: [] })),
  post('variables a number', json({ query: SIMPLE_QUERY, variables: 42 })),
  post('operationName a number', json({ query: SIMPLE_QUERY, operationName: 42 })),
  post('operationName unknown', json({ query: SIMPLE_QUERY, operationName: 'Nope' })),
  post('extensions a string', json({ query: SIMPLE_QUERY, extensions: 'x' })),
  post('an unknown APQ hash', json({ extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } })),
  post('an APQ hash that is not hex', json({ extensions: { persistedQuery: { version: 1, sha256Hash: 'not-hex\u0000' } } })),
  post('an APQ hash not a string', json({ extensions: { persistedQuery: { version: 1, sha256Hash: 42 } } })),
  post('an APQ of version 2', json({ extensions: { persistedQuery: { version: 2, sha256Hash: 'a'.repeat(64) } } })),
  post(
    'an APQ hash that does not match its query',
    json({ query: SIMPLE_QUERY, extensions: { persistedQuery: { version: 1, sha256Hash: 'b'.repeat(64) } } }),
  ),
  post('an unknown persisted document id', json({ documentId: `sha256:${'0'.repeat(64)}` })),
  post('a persisted document id not a string', json({ documentId: 42 })),
  post('an empty persisted document id', json({ documentId: '' })),
  post('a persisted document id with a NUL', json({ documentId: 'sha256:\u0000' })),
  post('text/plain (CSRF)', json({ query: SIMPLE_QUERY }), { 'content-type': 'text/plain' }),
  post('multipart without a body', '', { 'content-type': 'multipart/form-data; boundary=x' }),
  post('multipart with junk', '--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{', {
    'content-type': 'multipart/form-data; boundary=x',
  }),
  post('form-urlencoded', `query=${encodeURIComponent(SIMPLE_QUERY)}`, { 'content-type': 'application/x-www-form-urlencoded' }),
  post('application/graphql', SIMPLE_QUERY, { 'content-type': 'application/graphql' }),
  post('JSON in UTF-16', Buffer.from(json({ query: SIMPLE_QUERY }), 'utf16le'), { 'content-type': 'application/json; charset=utf-16' }),
  post('JSON after a BOM', `\ufeff${json({ query: SIMPLE_QUERY })}`),
  post('JSON without a content-type, preflighted', json({ query: SIMPLE_QUERY }), { 'apollo-require-preflight': 'true' }),
  post('a content-type of 500 characters', json({ query: SIMPLE_QUERY }), { 'content-type': `application/${'x'.repeat(500)}json` }),
  post('a truncated body', json({ query: SIMPLE_QUERY, variables: { a: 1 } }).slice(0, 25)),
  post('an empty body, JSON', ''),
  post('an empty body, no content-type, preflighted', '', { 'apollo-require-preflight': 'true' }),
  post('invalid UTF-8', Buffer.from([0x7b, 0x22, 0x71, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])),
  post('huge body (2 MB)', json({ query: SIMPLE_QUERY, variables: { filler: 'x'.repeat(2 * 1024 * 1024) } })),
  post('JSON nested 100,000 deep', `${'['.repeat(100_000)}${']'.repeat(100_000)}`),
  post('a proto-polluting body', '{"query":"{ __typename }","__proto__":{"query":"{ me { id } }"},"constructor":{"prototype":{"x":1}}}'),
  { name: 'GET without query', method: 'GET', headers: { 'x-tenant': 'demo', accept: 'application/json' } },
  {
    name: 'GET with a query',
    method: 'GET',
    path: `/graphql?query=${encodeURIComponent(SIMPLE_QUERY)}`,
    headers: { 'x-tenant': 'demo', 'apollo-require-preflight': 'true' },
  },
  {
    name: 'GET with a mutation',
    method: 'GET',
    path: `/graphql?query=${encodeURIComponent('mutation { logout(refreshToken: "x") }')}`,
    headers: { 'x-tenant': 'demo', 'apollo-require-preflight': 'true' },
  },
  {
    name: 'GET with variables not JSON',
    method: 'GET',
    path: `/graphql?query=${encodeURIComponent(SIMPLE_QUERY)}&variables=%7B`,
    headers: { 'x-tenant': 'demo', 'apollo-require-preflight': 'true' },
  },
  {
    name: 'GET with extensions not JSON',
    method: 'GET',
    path: `/graphql?query=${encodeURIComponent(SIMPLE_QUERY)}&extensions=%7B`,
    headers: { 'x-tenant': 'demo', 'apollo-require-preflight': 'true' },
  },
  {
    name: 'GET with a query of 10,000 characters',
    method: 'GET',
    path: `/graphql?query=${encodeURIComponent(`{ ${'__typename '.repeat(900)}}`)}`,
    headers: { 'x-tenant': 'demo', 'apollo-require-preflight': 'true' },
  },
  {
    name: 'GET with a malformed percent escape',
    method: 'GET',
    path: '/graphql?query=%E0%A4%A',
    headers: { 'x-tenant': 'demo', 'apollo-require-preflight': 'true' },
  },
  { name: 'HEAD', method: 'HEAD', headers: { 'x-tenant': 'demo' }, bodyOptional: true },
  { ...post('PUT', json({ query: SIMPLE_QUERY })), method: 'PUT' },
  { ...post('DELETE', json({ query: SIMPLE_QUERY })), method: 'DELETE' },
  { ...post('PATCH', json({ query: SIMPLE_QUERY })), method: 'PATCH' },
  { name: 'OPTIONS', method: 'OPTIONS', headers: { 'x-tenant': 'demo', origin: 'https://evil.example' }, bodyOptional: true },
  post('an unknown tenant', json({ query: SIMPLE_QUERY }), { ...JSON_TYPE, 'x-tenant': 'no-such-tenant' }),
  post('a tenant of 500 characters', json({ query: SIMPLE_QUERY }), { ...JSON_TYPE, 'x-tenant': 'a'.repeat(500) }),
  post('an empty tenant', json({ query: SIMPLE_QUERY }), { ...JSON_TYPE, 'x-tenant': '' }),
  post('a tenant in capitals and spaces', json({ query: SIMPLE_QUERY }), { ...JSON_TYPE, 'x-tenant': '  DEMO  ' }),
  post('a tenant of Latin-1 bytes', json({ query: SIMPLE_QUERY }), { ...JSON_TYPE, 'x-tenant': 'demo\u00f1\u00ff' }),
  post('two tenants in one header', json({ query: SIMPLE_QUERY }), { ...JSON_TYPE, 'x-tenant': 'demo, cooperativa-sol' }),
  post('a tenant with a path', json({ query: SIMPLE_QUERY }), { ...JSON_TYPE, 'x-tenant': '../demo' }),
  post('the tenant in the path', json({ query: SIMPLE_QUERY }), JSON_TYPE, '/t/demo/graphql'),
  post('the tenant in the path, in capitals', json({ query: SIMPLE_QUERY }), JSON_TYPE, '/t/DEMO/graphql/'),
  post('a malformed percent escape in the tenant path', json({ query: SIMPLE_QUERY }), JSON_TYPE, '/t/%/graphql'),
  post('an invalid UTF-8 escape in the tenant path', json({ query: SIMPLE_QUERY }), JSON_TYPE, '/t/%E0%A4%A/graphql'),
  post('an encoded NUL in the tenant path', json({ query: SIMPLE_QUERY }), JSON_TYPE, '/t/demo%00/graphql'),
  post('an unknown tenant in the path', json({ query: SIMPLE_QUERY }), JSON_TYPE, '/t/no-such-tenant/graphql'),
  post('a tenant path of 500 characters', json({ query: SIMPLE_QUERY }), JSON_TYPE, `/t/${'a'.repeat(500)}/graphql`),
  post('an authorization without a token', json({ query: '{ me { id } }' }), { ...JSON_TYPE, authorization: 'Bearer' }),
  post('a bearer token of junk', json({ query: '{ me { id } }' }), { ...JSON_TYPE, authorization: 'Bearer a.b.c' }),
  post('a bearer token of 8,000 characters', json({ query: '{ me { id } }' }), {
    ...JSON_TYPE,
    authorization: `Bearer ${'x'.repeat(8_000)}`,
  }),
  post('basic authorization', json({ query: '{ me { id } }' }), { ...JSON_TYPE, authorization: 'Basic dXNlcjpwYXNz' }),
  post('an API key of junk', json({ query: '{ me { id } }' }), { ...JSON_TYPE, 'x-api-key': 'ak_\u00ff\u00fe junk' }),
  post('a malformed traceparent', json({ query: SIMPLE_QUERY }), { ...JSON_TYPE, traceparent: 'zz-not-a-trace-parent' }),
  post('a request id of 500 characters', json({ query: SIMPLE_QUERY }), { ...JSON_TYPE, 'x-request-id': 'r'.repeat(500) }),
  post('a forwarded-for of junk', json({ query: SIMPLE_QUERY }), { ...JSON_TYPE, 'x-forwarded-for': 'not an address, , ::ffff:999.1.1.1' }),
  {
    name: 'a body shorter than its content-length, then the client closes',
    raw: `POST /graphql HTTP/1.1\r\nHost: x\r\nX-Tenant: demo\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"query":`,
    bodyOptional: true,
  },
  {
    name: 'invalid chunked encoding',
    raw: `POST /graphql HTTP/1.1\r\nHost: x\r\nX-Tenant: demo\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
    bodyOptional: true,
  },
  {
    name: 'a huge chunked body (no content-length)',
    raw: `POST /graphql HTTP/1.1\r\nHost: x\r\nX-Tenant: demo\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${`100000\r\n${'x'.repeat(0x100000)}\r\n`.repeat(2)}0\r\n\r\n`,
    bodyOptional: true,
  },
  {
    name: 'a header line without a colon',
    raw: `POST /graphql HTTP/1.1\r\nHost: x\r\nX-Tenant demo\r\nContent-Length: 2\r\n\r\n{}`,
    bodyOptional: true,
  },
];

/** A generated malformed request: random bodies, content types, tenants and paths. */
export function generateHttpCase(c: Chooser): HttpCase {
  const keys = ['query', 'variables', 'operationName', 'extensions', 'documentId', 'id', '__proto__'];
  const randomJson = (depth: number): unknown =>
    weighted<() => unknown>(c, [
      [2, () => pick(c, [SIMPLE_QUERY, '{ me { id } }', '', 'query', '{', '\u0000', 'x'.repeat(1_000)])],
      [1, () => c.int(-2147483648, 2147483647)],
      [1, () => pick(c, [true, false, null, 1.5, 1e308])],
      [depth < 3 ? 1 : 0, () => Array.from({ length: c.int(0, 3) }, () => randomJson(depth + 1))],
      [depth < 3 ? 2 : 0, () => Object.fromEntries(Array.from({ length: c.int(0, 4) }, () => [pick(c, keys), randomJson(depth + 1)]))],
    ])();
  const valid = json({ query: SIMPLE_QUERY, variables: {} });
  const [kind, body] = weighted<readonly [string, string | Buffer]>(c, [
    [4, ['random JSON', json(randomJson(0)) ?? 'null']],
    [2, ['truncated', valid.slice(0, c.int(0, valid.length - 1))]],
    [
      2,
      [
        'one byte changed',
        (() => {
          const at = c.int(0, valid.length - 1);
          return `${valid.slice(0, at)}${String.fromCharCode(c.int(0, 255))}${valid.slice(at + 1)}`;
        })(),
      ],
    ],
    [1, ['random bytes', Buffer.from(Array.from({ length: c.int(0, 200) }, () => c.int(0, 255)))]],
  ]);
  const contentType = weighted(c, [
    [6, 'application/json'],
    [1, 'application/json; charset=latin1'],
    [1, 'text/plain'],
    [1, 'application/graphql-response+json'],
    [1, 'multipart/form-data'],
    [1, ''],
  ] as const);
  const tenant = weighted(c, [
    [6, 'demo'],
    [1, 'cooperativa-sol'],
    [1, 'no-such-tenant'],
    [1, ''],
    [1, 'x'.repeat(c.int(1, 600))],
  ] as const);
  const path = weighted(c, [
    [8, '/graphql'],
    [1, '/t/demo/graphql'],
    [1, `/t/${pick(c, ['%', '%zz', '%C0%80', 'demo%2F..', '..%2F'])}/graphql`],
  ] as const);
  const method = weighted(c, [
    [9, 'POST'],
    [1, 'GET'],
  ] as const);
  return {
    name: `generated: ${kind}, ${contentType || 'no content-type'}, tenant "${tenant.slice(0, 20)}", ${path}`,
    group: `generated ${method} ${path}`,
    method,
    path,
    headers: {
      ...(contentType ? { 'content-type': contentType } : {}),
      ...(tenant || chance(c, 0.5) ? { 'x-tenant': tenant } : {}),
      ...(chance(c, 0.3) ? { 'apollo-require-preflight': 'true' } : {}),
    },
    body,
  };
}

// ------------------------------------------------------------------ sending and checking

/** The codes of the contract a client may see (every one but INTERNAL_SERVER_ERROR); Apollo's parse and validation codes arrive as BAD_USER_INPUT. */
export const CONTRACT_ERROR_CODES: readonly string[] = ERROR_CODES.filter((code) => code !== 'INTERNAL_SERVER_ERROR');

/** Who a fuzzer's operations are sent as (demo's seeded accounts, or none), and how often. */
export const FUZZ_IDENTITIES = [
  [20, 'anonymous'],
  [25, 'learner'],
  [20, 'instructor'],
  [10, 'evaluator'],
  [25, 'tenant_admin'],
] as const;

export interface FuzzResponse {
  /** 0: no answer (a raw request the server closed). */
  status: number;
  text: string;
  /** The body parsed, undefined when it is not JSON. */
  body: unknown;
}

/** Sends an operation as its identity (token by identity name; none for a missing or null one). */
export async function sendOperation(
  origin: string,
  operation: FuzzOperation,
  tokens: Readonly<Record<string, string | null | undefined>>,
): Promise<FuzzResponse> {
  const token = tokens[operation.identity];
  const body: Record<string, unknown> = { query: operation.query };
  if (operation.variables) body.variables = operation.variables;
  if (operation.operationName !== undefined) body.operationName = operation.operationName;
  const response = await httpRequest(`${origin}${operation.path ?? '/graphql'}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(operation.tenant !== null ? { 'x-tenant': operation.tenant } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: response.text, body: parsed(response.text) };
}

export async function sendHttpCase(origin: string, request: HttpCase): Promise<FuzzResponse> {
  if (request.raw !== undefined) return sendRaw(origin, request.raw);
  // Not httpRequest: the body may be a Buffer (bytes that are not UTF-8).
  const response = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const headers: Record<string, string | number> = { ...request.headers };
    if (request.body !== undefined) headers['content-length'] = Buffer.byteLength(request.body);
    const outgoing = http.request(`${origin}${request.path ?? '/graphql'}`, { method: request.method ?? 'POST', headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      incoming.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
  return { ...response, body: parsed(response.text) };
}

function sendRaw(origin: string, raw: string): Promise<FuzzResponse> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      const bodyText = text.includes('\r\n\r\n') ? text.slice(text.indexOf('\r\n\r\n') + 4) : '';
      resolve({ status, text: bodyText, body: parsed(dechunk(bodyText)) });
    };
    const timer = setTimeout(finish, 3_000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', finish);
    socket.write(raw, () => socket.end());
  });
}

function dechunk(text: string): string {
  if (!/^[0-9a-f]+\r\n/i.test(text)) return text;
  let out = '';
  for (let rest = text; ;) {
    const match = /^([0-9a-f]+)\r\n/i.exec(rest);
    if (!match) return out;
    const size = parseInt(match[1]!, 16);
    if (size === 0) return out;
    out += rest.slice(match[0].length, match[0].length + size);
    rest = rest.slice(match[0].length + size + 2);
  }
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

interface ResponseError {
  message?: unknown;
  extensions?: { code?: unknown } & Record<string, unknown>;
}

const errorsOf = (response: FuzzResponse): ResponseError[] => {
  const errors = (response.body as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(errors) ? (errors as ResponseError[]) : [];
};

/**
 * What is wrong with an answer: empty when it keeps every invariant. `subgraphsUp`: every
 * subgraph is running, so UPSTREAM_UNAVAILABLE means one failed (or refused the gateway's request).
 */
export function problemsOf(response: FuzzResponse, options: { bodyOptional?: boolean; subgraphsUp?: boolean } = {}): string[] {
  const problems: string[] = [];
  if (response.status >= 500) problems.push(`HTTP ${response.status}`);
  if (response.status === 0 && !options.bodyOptional) problems.push('no answer');
  const body = response.body;
  if (body === undefined) {
    if (!options.bodyOptional) problems.push(`body is not JSON: ${response.text.slice(0, 100)}`);
    return problems;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [...problems, 'body is not a JSON object'];
  const record = body as Record<string, unknown>;
  if (!('data' in record) && !('errors' in record)) problems.push('neither data nor errors');
  if ('errors' in record && (!Array.isArray(record.errors) || record.errors.length === 0)) problems.push('errors is not a non-empty list');
  for (const error of errorsOf(response)) {
    const code = error.extensions?.code;
    const message = typeof error.message === 'string' ? error.message : '';
    if (typeof error.message !== 'string') problems.push('an error without a message');
    if (code === undefined) problems.push(`no code: ${message.slice(0, 200)}`);
    else if (code === 'INTERNAL_SERVER_ERROR') problems.push(`INTERNAL_SERVER_ERROR: ${message.slice(0, 200)}`);
    else if (!CONTRACT_ERROR_CODES.includes(String(code)))
      problems.push(`code ${String(code)} outside the contract: ${message.slice(0, 200)}`);
    else if (code === 'UPSTREAM_UNAVAILABLE' && options.subgraphsUp)
      problems.push(`UPSTREAM_UNAVAILABLE with every subgraph up: ${message.slice(0, 200)}`);
    const text = JSON.stringify(error);
    if (message.includes('    at ') || /\n\s+at .+:\d+:\d+/.test(message) || 'stacktrace' in (error.extensions ?? {}))
      problems.push(`stack trace: ${message.slice(0, 200)}`);
    if (/127\.0\.0\.1:|localhost:\d/.test(text)) problems.push(`internal host: ${text.slice(0, 200)}`);
  }
  return problems;
}

// ------------------------------------------------------------------ tallies and reports

export interface Violation {
  target: string;
  identity: string;
  tenant: string | null;
  values: string[];
  request: string;
  variables?: unknown;
  status: number;
  response: string;
  problems: string[];
}

/** Counts of a run, for its summary line. */
export class FuzzTally {
  count = 0;
  answered = 0;
  refused = 0;
  serverErrors = 0;
  broken = 0;
  readonly codes = new Map<string, number>();

  add(response: FuzzResponse, problems: readonly string[]): void {
    this.count += 1;
    const errors = errorsOf(response);
    const codes = new Set(errors.map((error) => String(error.extensions?.code ?? 'no code')));
    if (response.status >= 500 || codes.has('INTERNAL_SERVER_ERROR')) this.serverErrors += 1;
    else if (problems.length) this.broken += 1;
    if (errors.length === 0 && response.body !== undefined) this.answered += 1;
    else if (errors.length) this.refused += 1;
    for (const code of codes) this.codes.set(code, (this.codes.get(code) ?? 0) + 1);
  }

  /** `fuzz: 2000 operations, 412 answered with data, 1588 refused (BAD_USER_INPUT 900, …), 0 server errors` */
  summary(noun: string): string {
    const codes = [...this.codes.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([code, count]) => `${code} ${count}`)
      .join(', ');
    return (
      `fuzz: ${this.count} ${noun}, ${this.answered} answered with data, ${this.refused} refused (${codes}), ` +
      `${this.serverErrors} server errors${this.broken ? `, ${this.broken} other broken answers` : ''}`
    );
  }
}

const clip = (text: string, length: number) => (text.length > length ? `${text.slice(0, length)}… (${text.length} chars)` : text);

/** A violation as reported: long strings clipped. */
export function violation(
  operation: Pick<FuzzOperation, 'target' | 'identity' | 'tenant' | 'values' | 'query' | 'variables'>,
  response: FuzzResponse,
  problems: string[],
): Violation {
  const variables = operation.variables === undefined ? undefined : clip(JSON.stringify(operation.variables), 600);
  return {
    target: operation.target,
    identity: operation.identity,
    tenant: operation.tenant,
    values: operation.values.slice(0, 20),
    request: clip(operation.query, 600),
    ...(variables !== undefined ? { variables } : {}),
    status: response.status,
    response: clip(response.text, 600),
    problems,
  };
}

export interface ViolationGroup {
  /** `<target> → <problems>` (ids and numbers in messages blurred). */
  cause: string;
  count: number;
  /** Values present in every case of the group (`input.code: string/nul`): the likely trigger. */
  commonValues: string[];
  /** The same by kind only (`input.validUntil: date/*`), when the values differ but their kind does not. */
  commonKinds: string[];
  smallest: Violation;
}

/** Violations by cause, each with its smallest example. */
export function groupViolations(violations: readonly Violation[]): ViolationGroup[] {
  const groups = new Map<string, Violation[]>();
  const blur = (problem: string) =>
    problem
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')
      .replace(/"[^"]*"/g, '"…"')
      .replace(/\d{4,}/g, 'N');
  for (const found of violations) {
    const cause = `${found.target} → ${[...new Set(found.problems.map(blur))].join('; ')}`;
    groups.set(cause, [...(groups.get(cause) ?? []), found]);
  }
  const size = (found: Violation) => found.request.length + String(found.variables ?? '').length;
  const valueOf = (value: string) => value.replace(/ \((variable|inline)\)$/, '');
  const familyOf = (value: string) => valueOf(value).replace(/^(.*?: [\w -]+?)\/.*$/, '$1/*');
  const common = (members: Violation[], key: (value: string) => string) =>
    members
      .slice(1)
      .reduce((kept, member) => kept.filter((value) => member.values.map(key).includes(value)), [...new Set(members[0]!.values.map(key))]);
  return [...groups.entries()]
    .map(([cause, members]) => ({
      cause,
      count: members.length,
      commonValues: common(members, valueOf),
      commonKinds: common(members, familyOf),
      smallest: members.reduce((a, b) => (size(b) < size(a) ? b : a)),
    }))
    .sort((a, b) => b.count - a.count);
}

/** Runs tasks at most `limit` at a time: `await run(task)` returns once it has a slot; `drain()` waits for all. */
export function taskPool(limit: number): { run(task: () => Promise<void>): Promise<void>; drain(): Promise<void> } {
  const running = new Set<Promise<void>>();
  return {
    async run(task) {
      while (running.size >= limit) await Promise.race(running);
      const promise: Promise<void> = task().finally(() => running.delete(promise));
      running.add(promise);
    },
    async drain() {
      while (running.size) await Promise.race(running);
    },
  };
}
