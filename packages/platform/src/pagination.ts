import { BadUserInputError } from './errors';

/** Largest page a client may ask for; a larger `first` is refused (the subgraphs' input hygiene). */
export const MAX_PAGE_SIZE = 100;

/** `first` as asked (default 20); outside 0..100 a client error (the input hygiene refuses it before this, with this message). */
export function pageSize(first: number | null | undefined, fallback = 20): number {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE)
    throw new BadUserInputError('Invalid input: `first` must be 0..100', [{ field: 'first', message: 'must be 0..100' }]);
  return size;
}

/**
 * Opaque cursors: the sort key of the last row seen, base64url-encoded JSON. Clients pass them
 * back unchanged; anything else is a client error, never a server one.
 */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined, shape: readonly ('string' | 'number')[]): (string | number)[] | null {
  if (cursor === null || cursor === undefined) return null;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown;
    if (Array.isArray(key) && key.length === shape.length && key.every((part, i) => typeof part === shape[i]))
      return key as (string | number)[];
  } catch {
    // fall through
  }
  throw new BadUserInputError('`after` is not a cursor this API returned', [{ field: 'after', message: 'invalid cursor' }]);
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

/**
 * Builds a connection from rows fetched with one extra row (to know whether there is a next page).
 * `endCursor` is the last edge's; a page of `first: 0` has none and ends where it began, at
 * `after` (null at the start), so a client going on from `endCursor` loses nothing.
 */
export function toPage<T>(
  rows: T[],
  size: number,
  totalCount: number,
  keyOf: (row: T) => (string | number)[],
  after: string | null | undefined,
): Page<T> {
  const nodes = rows.slice(0, size);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  const endCursor = edges.at(-1)?.cursor ?? (size === 0 ? (after ?? null) : null);
  return { edges, pageInfo: { hasNextPage: rows.length > size, endCursor }, totalCount };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The condition of a newest-first keyset page: the rows after the cursor (`after`, as
 * `toPage` made it from `[<timestamp>.toISOString(), id]`), i.e. older, or as old with a smaller
 * id; with no cursor, every row (an empty condition). `field` is the timestamp the list is
 * ordered by (`orderBy: [{ [field]: 'desc' }, { id: 'desc' }]`). A cursor whose parts are not a
 * time and an id is a client error.
 */
export function newestFirstAfter<Field extends string>(
  field: Field,
  cursor: string | null | undefined,
): { OR?: ({ [K in Field]: { lt: Date } } | ({ [K in Field]: Date } & { id: { lt: string } }))[] } {
  const after = newestFirstCursor(cursor);
  if (!after) return {};
  const { at, id } = after;
  return {
    OR: [
      { [field]: { lt: at } } as { [K in Field]: { lt: Date } },
      { [field]: at, id: { lt: id } } as { [K in Field]: Date } & { id: { lt: string } },
    ],
  };
}

/**
 * A newest-first cursor's time and id (`toPage`'s `[<timestamp>.toISOString(), id]`), null
 * without one; a cursor whose parts are not a time and an id is a client error. For a keyset
 * written in SQL: `(created_at, id) < (at, id)`, as `newestFirstAfter` is for Prisma Client.
 */
export function newestFirstCursor(cursor: string | null | undefined): { at: Date; id: string } | null {
  const after = decodeCursor(cursor, ['string', 'string']);
  if (!after) return null;
  const at = new Date(after[0] as string);
  const id = after[1] as string;
  if (Number.isNaN(at.getTime()) || !UUID.test(id))
    throw new BadUserInputError('`after` is not a cursor this API returned', [{ field: 'after', message: 'invalid cursor' }]);
  return { at, id };
}
