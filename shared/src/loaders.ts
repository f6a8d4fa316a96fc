import DataLoader from "dataloader";
import { isUuid } from "./validation";

/**
 * A per-request loader of rows by id: one query for all ids asked in the same tick, answers in the
 * order asked, null for unknown (or malformed) ids.
 */
export function byIdLoader<T extends { id: string }>(fetch: (ids: string[]) => Promise<T[]>): DataLoader<string, T | null> {
  return new DataLoader(async (ids) => {
    const wellFormed = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
    const rows = wellFormed.length ? await fetch(wellFormed) : [];
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id.toLowerCase()) ?? null);
  });
}

/** A per-request loader of the rows belonging to each key (e.g. a member's accounts): one query per batch. */
export function groupLoader<K, T>(fetch: (keys: K[]) => Promise<T[]>, keyOf: (row: T) => K, cacheKey?: (key: K) => unknown): DataLoader<K, T[], unknown> {
  return new DataLoader<K, T[], unknown>(
    async (keys) => {
      const rows = await fetch([...keys]);
      const groups = new Map<unknown, T[]>();
      for (const row of rows) {
        const k = cacheKey ? cacheKey(keyOf(row)) : keyOf(row);
        groups.set(k, [...(groups.get(k) ?? []), row]);
      }
      return keys.map((key) => groups.get(cacheKey ? cacheKey(key) : key) ?? []);
    },
    cacheKey ? { cacheKeyFn: cacheKey } : {},
  );
}
