// Stripe's request encoding: `application/x-www-form-urlencoded` with bracket keys
// (`line_items[0][price_data][unit_amount]=2000`, `metadata[orderId]=o_1`, `expand[]=x` or
// `expand[0]=x`), the same in query strings of GET requests.

export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

/** A parameter name that cannot be parsed (answered as Stripe's invalid_request_error). */
export class FormError extends Error {
  constructor(
    message: string,
    readonly param: string,
  ) {
    super(message);
  }
}

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

/** Parses a form body or query string into nested objects; objects keyed 0..n become arrays. */
export function parseForm(text: string): FormObject {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
    if (!match) throw new FormError(`Invalid parameter name: ${key}`, key);
    const segments = [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((part) => part[1]!)];
    if (segments.some((segment) => FORBIDDEN_SEGMENTS.has(segment))) throw new FormError(`Invalid parameter name: ${key}`, key);
    let node = root;
    segments.forEach((raw, index) => {
      // `a[]` appends: its index is the number of entries so far.
      const segment = raw === '' ? String(Object.keys(node).length) : raw;
      if (index === segments.length - 1) {
        node[segment] = value;
        return;
      }
      const next = node[segment];
      if (typeof next === 'string')
        throw new FormError(`Invalid parameter: ${key} (${segments.slice(0, index + 1).join('.')} is a value)`, key);
      node = (next as Record<string, unknown> | undefined) ?? (node[segment] = {});
    });
  }
  return arrayify(root) as FormObject;
}

function arrayify(value: unknown): FormValue {
  if (typeof value === 'string') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 0 && entries.every(([key]) => /^\d+$/.test(key))) {
    return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, item]) => arrayify(item));
  }
  return Object.fromEntries(entries.map(([key, item]) => [key, arrayify(item)]));
}

/** `['line_items', 0, 'price_data']` -> `line_items[0][price_data]`, the way Stripe names parameters in errors. */
export function paramName(path: readonly PropertyKey[]): string {
  const [head, ...rest] = path.map(String);
  return `${head ?? ''}${rest.map((segment) => `[${segment}]`).join('')}`;
}

/** The value at a path of a parsed form (undefined when absent). */
export function valueAt(form: unknown, path: readonly PropertyKey[]): unknown {
  let node = form;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[segment];
  }
  return node;
}

/** Canonical text of parsed parameters (keys sorted): two requests with the same parameters match. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
