/** Every parent object a strict rule saw, numbered (held weakly: gone with the request). */
const parentIds = new WeakMap<object, number>();
let lastParentId = 0;

/**
 * graphql-shield's key for a `strict` rule's result within one request: a rule asked again for the
 * same parent object and the same arguments answers from the request's cache. Its default,
 * object-hash, serialises and SHA-1-hashes the whole parent (a row, a credential, a portfolio) for
 * every field such a rule guards; a parent's identity tells the same for the objects a request
 * resolves, at the cost of a WeakMap lookup. Two equal parents that are distinct objects are
 * checked once each (a rule only reads its parent). Arguments are small: their JSON.
 */
export function ruleCacheKey({ parent, args }: { parent: unknown; args: unknown }): string {
  let of: string;
  if (parent !== null && (typeof parent === 'object' || typeof parent === 'function')) {
    let id = parentIds.get(parent);
    if (id === undefined) parentIds.set(parent, (id = ++lastParentId));
    of = `#${id}`;
  } else {
    of = `${typeof parent}:${String(parent)}`;
  }
  return `${of}|${argumentsKey(args)}`;
}

function argumentsKey(args: unknown): string {
  try {
    return JSON.stringify(args) ?? '';
  } catch {
    // Arguments JSON cannot carry (a BigInt, a cycle): a key of their own, never shared.
    return `#${++lastParentId}`;
  }
}
