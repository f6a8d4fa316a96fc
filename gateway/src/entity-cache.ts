import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";

/**
 * Entities a subgraph marked public and cacheable (a `Cache-Control: public, max-age=N` answer, from
 * its cache hints: e.g. a partner's name and category) are kept here for N seconds, one entry per
 * entity and selection, and an `_entities` call whose entities are all kept is answered without a
 * subgraph call. Private or uncacheable answers (anything a member or partner may see alone, or a
 * field without a hint) are never kept: the subgraph's hints decide, not this cache.
 */
export class EntityCache {
  // Kept as JSON: the gateway merges answers into its result tree, which must never reach a cached copy.
  private readonly entries = new Map<string, { json: string; expires: number }>();

  constructor(private readonly maxEntries = 10_000) {}

  get(key: string, now: number): unknown | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires > now) return JSON.parse(entry.json);
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: unknown, expires: number): void {
    // A Map iterates in insertion order: drop the oldest entry when full.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { json: JSON.stringify(value), expires });
  }
}

/** `public, max-age=N` -> N; anything else (private, no-store, no max-age) -> 0. */
export function publicMaxAge(header: string | null | undefined): number {
  if (!header || !/\bpublic\b/i.test(header) || /\b(private|no-store|no-cache)\b/i.test(header)) return 0;
  const match = /\bmax-age=(\d+)/i.exec(header);
  return match ? Number(match[1]) : 0;
}

/** Wraps a subgraph's data source: `_entities` calls go through the cache, everything else straight through. */
export class EntityCachingDataSource<TContext extends Record<string, any>> implements GraphQLDataSource<TContext> {
  constructor(
    private readonly subgraph: string,
    private readonly inner: GraphQLDataSource<TContext>,
    private readonly cache: EntityCache,
  ) {}

  async process(options: GraphQLDataSourceProcessOptions<TContext>): Promise<GatewayGraphQLResponse> {
    const { query, variables } = options.request;
    const representations = variables?.representations;
    if (!query || !Array.isArray(representations) || !query.includes("_entities")) return this.inner.process(options);
    const now = Date.now();
    const keys = representations.map((representation) => `${this.subgraph}\n${query}\n${JSON.stringify(representation)}`);
    // A client that sends `Cache-Control: no-cache` gets fresh entities (and refreshes the cache).
    const fresh = "incomingRequestContext" in options && /\bno-cache\b/i.test(options.incomingRequestContext.request.http?.headers.get("cache-control") ?? "");
    const kept = fresh ? [] : keys.map((key) => this.cache.get(key, now));
    if (!fresh && kept.every((value) => value !== undefined)) return { data: { _entities: kept } };

    const response = await this.inner.process(options);
    const maxAge = publicMaxAge(response.http?.headers.get("cache-control"));
    const entities = response.data?._entities;
    if (maxAge > 0 && !response.errors?.length && Array.isArray(entities) && entities.length === keys.length) {
      keys.forEach((key, i) => this.cache.set(key, entities[i], now + maxAge * 1000));
    }
    return response;
  }
}
