import DataLoader from 'dataloader';

/** Loads entities by id in one query per tick; a missing (or other tenant's) id loads null. */
export function entityLoader<T extends { id: string }>(fetch: (ids: readonly string[]) => Promise<T[]>): DataLoader<string, T | null> {
  return new DataLoader(async (ids) => {
    const rows = await fetch(ids);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** Loads one value per key (a list, a count) in one query per tick; absent keys get `empty`. */
export function keyedLoader<K, V>(
  fetch: (keys: readonly K[]) => Promise<Map<K, V>>,
  empty: V,
  cacheKeyFn?: (key: K) => unknown,
): DataLoader<K, V> {
  return new DataLoader(
    async (keys) => {
      const values = await fetch(keys);
      return keys.map((key) => values.get(key) ?? empty);
    },
    cacheKeyFn ? { cacheKeyFn } : {},
  );
}
