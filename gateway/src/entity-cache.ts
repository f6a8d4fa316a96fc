import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import type { Identity } from "../../shared/src/auth/proof";
import { cacheHintOf, publicMaxAge, wantsFreshAnswer } from "./cache-control";

/** A cache the gateway's workers (and gateways) share: Redis when REDIS_URL is set. */
export interface SharedCache {
  /** Entries as written by `set`, null where absent; an unreachable cache answers all null. */
  getMany(keys: string[]): Promise<(string | null)[]>;
  set(entries: { key: string; value: string; ttlMs: number }[]): Promise<void>;
}

/**
 * Longest entry kept, key and value together, in characters. Clients shape the subgraph query (an
 * alias is sent on and echoed in the answer, up to REQUEST_MAX_BYTES long): without this an anonymous
 * caller could make each of the 10,000 entries 200 KB (2 GB per process, and again in Redis). A
 * partner's public fields with their query are a few hundred characters.
 */
export const MAX_ENTRY_CHARS = 4_096;

/**
 * Answers a subgraph marked private kept per process, for their caller alone: at most this many, none
 * over PRIVATE_MAX_ENTRY_CHARS.
 */
export const PRIVATE_MAX_ENTRIES = 20_000;

/**
 * Longest private answer kept, key and value together, in characters: a member's existence check is
 * about 300 with its key (a long operation name included). Any member shapes the query (an alias or
 * an operation name is passed on and echoed back): under MAX_ENTRY_CHARS alone each of the 20,000
 * entries could be 4,096 characters, 80 MB a process from a few members' tokens; with this, 20 MB.
 */
export const PRIVATE_MAX_ENTRY_CHARS = 1_024;

/**
 * Private answers one caller may have kept at a time (each page of a member's app is one: the gateway
 * names its subgraph call after the client's operation). Without it one member's tokens fill the
 * 20,000 and push every other member's answers out.
 */
export const PRIVATE_MAX_ENTRIES_PER_CALLER = 64;

/**
 * When a caller's kept answers expire once one more, kept until `expires`, is added to `expiries` (those
 * of their answers so far; undefined for none): null when `max` of them are still kept at `now`. An
 * answer counts until it expires (one pushed out earlier too), so a member who keeps using the app
 * keeps their share, and nobody holds more than `max` at once.
 */
export function expiriesAfter(expiries: readonly number[] | undefined, expires: number, now: number, max: number): number[] | null {
  const live = (expiries ?? []).filter((until) => until > now);
  return live.length >= max ? null : [...live, expires];
}

/**
 * Answers kept for their caller alone: in this process's memory only, never shared (no Redis), at most
 * PRIVATE_MAX_ENTRIES, PRIVATE_MAX_ENTRY_CHARS each and PRIVATE_MAX_ENTRIES_PER_CALLER per caller.
 */
export class PrivateAnswers {
  readonly cache = new EntityCache(null, PRIVATE_MAX_ENTRIES, PRIVATE_MAX_ENTRY_CHARS);
  /** Caller -> when each of their kept answers expires. */
  private readonly shares = new Map<string, number[]>();

  get maxEntryChars(): number {
    return this.cache.maxEntryChars;
  }

  get(key: string, now: number): Promise<unknown[] | undefined> {
    return this.cache.getAll([key], now);
  }

  /** Keeps `value` for `caller` until `expires` unless it is too long or the caller has their share; whether it was kept. */
  async set(caller: string, key: string, value: unknown, expires: number, now: number): Promise<boolean> {
    // The same answer asked for twice at once (two tabs of a cold page) is written twice but counted once.
    if (this.cache.has(key, now)) return (await this.cache.setAll([{ key, value }], expires, now)) > 0;
    const share = expiriesAfter(this.shares.get(caller), expires, now, PRIVATE_MAX_ENTRIES_PER_CALLER);
    if (!share || !(await this.cache.setAll([{ key, value }], expires, now))) return false;
    // Bounded: emptied when as many callers as there are entries have a share (each share is 64 numbers at most).
    if (!this.shares.has(caller) && this.shares.size >= PRIVATE_MAX_ENTRIES) this.shares.clear();
    this.shares.set(caller, share);
    return true;
  }
}

/**
 * Entities a subgraph marked public and cacheable (a `Cache-Control: public, max-age=N` answer, from
 * its cache hints: e.g. a partner's name and category) are kept here for N seconds, one entry per
 * entity and selection, and an `_entities` call whose entities are all kept is answered without a
 * subgraph call. Private or uncacheable answers (anything a member or partner may see alone, or a
 * field without a hint) are never kept: the subgraph's hints decide, not this cache. An entry's key
 * is everything that shapes the answer (subgraph, query, the fetch's other variables, the entity's
 * representation). In memory first; behind it, a shared cache when there is one.
 */
export class EntityCache {
  // Kept as JSON: the gateway merges answers into its result tree, which must never reach a cached copy.
  private readonly entries = new Map<string, { json: string; expires: number }>();

  constructor(
    private readonly shared: SharedCache | null = null,
    private readonly maxEntries = 10_000,
    /** Longest entry kept, key and value together (nothing longer is looked up either). */
    readonly maxEntryChars = MAX_ENTRY_CHARS,
  ) {}

  /** The kept entities of `keys`, or undefined when any of them is not kept. */
  async getAll(keys: string[], now: number): Promise<unknown[] | undefined> {
    const found = keys.map((key) => this.local(key, now));
    const missing = keys.filter((_, i) => found[i] === undefined);
    if (missing.length && this.shared) {
      const remote = await this.shared.getMany(missing);
      remote.forEach((raw, i) => {
        if (!raw) return;
        const { json, expires } = JSON.parse(raw) as { json: string; expires: number };
        if (expires > now) this.keep(missing[i], json, expires);
      });
      keys.forEach((key, i) => (found[i] ??= this.local(key, now)));
    }
    return found.every((value) => value !== undefined) ? found.map((json) => JSON.parse(json!)) : undefined;
  }

  /** Keeps the entries that are not too long (maxEntryChars); how many were kept. */
  async setAll(entries: { key: string; value: unknown }[], expires: number, now: number): Promise<number> {
    const written = entries.map(({ key, value }) => ({ key, json: JSON.stringify(value) })).filter(({ key, json }) => key.length + json.length <= this.maxEntryChars);
    if (!written.length) return 0;
    for (const { key, json } of written) this.keep(key, json, expires);
    await this.shared?.set(written.map(({ key, json }) => ({ key, value: JSON.stringify({ json, expires }), ttlMs: expires - now })));
    return written.length;
  }

  /** Whether `key` is kept in this process's memory at `now`. */
  has(key: string, now: number): boolean {
    return this.local(key, now) !== undefined;
  }

  private local(key: string, now: number): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires > now) return entry.json;
    this.entries.delete(key);
    return undefined;
  }

  private keep(key: string, json: string, expires: number): void {
    // A Map iterates in insertion order: drop the oldest entry when full.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { json, expires });
  }
}

/**
 * Wraps a subgraph's data source. `_entities` calls go through the public cache, entity by entity.
 * Any call whose answer the subgraph marked `private, max-age=N` (a member's own existence check) is
 * kept whole for N seconds for its caller alone, in this process only (`privateAnswers`), and served
 * to that caller again: its key is the caller's identity, the query and all its variables. Anonymous
 * callers have no private answers.
 */
export class EntityCachingDataSource<TContext extends Record<string, any>> implements GraphQLDataSource<TContext> {
  // Queries whose answers came back public (or private): only those are looked up, so a call that is
  // never cacheable (a member's balance) never pays for a lookup, in memory or in Redis, that cannot
  // hit. Bounded: clients shape these queries.
  private readonly cacheableQueries = new Set<string>();
  private readonly privateQueries = new Set<string>();

  constructor(
    private readonly subgraph: string,
    private readonly inner: GraphQLDataSource<TContext>,
    private readonly cache: EntityCache,
    private readonly privateAnswers: PrivateAnswers | null = null,
  ) {}

  async process(options: GraphQLDataSourceProcessOptions<TContext>): Promise<GatewayGraphQLResponse> {
    const { query } = options.request;
    if (!query) return this.inner.process(options);
    // A client that asks for a fresh answer (`Cache-Control: no-cache`, `no-store`, `max-age=0`, or `Pragma: no-cache`
    // alone: wantsFreshAnswer) gets one, for itself only: it neither reads the caches nor writes them, so no client
    // decides what the others are served.
    const fresh = "incomingRequestContext" in options && wantsFreshAnswer(options.incomingRequestContext.request.http?.headers);
    const now = Date.now();
    // The key (its variables as JSON) is made only for a query that came back private before, or an answer
    // that comes back private: never for the ledger's and catalog's `_entities` calls of every page.
    const lookedUp = !fresh && this.privateQueries.has(query) ? this.privateKeyOf(options) : null;
    if (lookedUp) {
      const [kept] = (await this.privateAnswers!.get(lookedUp.key, now)) ?? [];
      if (kept) {
        const { data, expires } = kept as { data: Record<string, unknown>; expires: number };
        // The client's own cache policy is what the subgraph said, for the time left.
        const policy = "incomingRequestContext" in options ? options.incomingRequestContext.overallCachePolicy : undefined;
        if (policy && "restrict" in policy) policy.restrict({ maxAge: Math.floor((expires - now) / 1000), scope: "PRIVATE" });
        return { data };
      }
    }
    const response = await this.entities(options, fresh, now);
    const hint = cacheHintOf(response.http?.headers.get("cache-control"));
    const privateKey = !fresh && hint.scope === "PRIVATE" && hint.maxAge > 0 && response.data && !response.errors?.length ? (lookedUp ?? this.privateKeyOf(options)) : null;
    if (privateKey) {
      const expires = now + hint.maxAge * 1000;
      // A query whose answer was not kept (too long, or its caller's share full) is not looked up again for it.
      if (await this.privateAnswers!.set(privateKey.caller, privateKey.key, { data: response.data, expires }, expires, now)) {
        if (this.privateQueries.size >= 1_000) this.privateQueries.clear();
        this.privateQueries.add(query);
      }
    }
    return response;
  }

  /** The key of this call's private answer: its caller, then everything it sends; null when it has none (anonymous, too long). */
  private privateKeyOf({ request, context }: GraphQLDataSourceProcessOptions<TContext>): { caller: string; key: string } | null {
    const caller = this.privateAnswers && callerKeyOf((context as { identity?: Identity }).identity);
    if (!caller) return null;
    const key = `${this.subgraph}\n${caller}\n${request.query}\n${JSON.stringify(request.variables ?? {})}`;
    // Nothing this long is kept (PRIVATE_MAX_ENTRY_CHARS), so it is not looked up either.
    return key.length > this.privateAnswers!.maxEntryChars ? null : { caller, key };
  }

  /** `_entities` calls through the public cache; any other call straight through. */
  private async entities(options: GraphQLDataSourceProcessOptions<TContext>, fresh: boolean, now: number): Promise<GatewayGraphQLResponse> {
    const { query, variables } = options.request;
    const representations = variables?.representations;
    if (!query || !Array.isArray(representations) || !query.includes("_entities")) return this.inner.process(options);
    // Everything that shapes an entity's answer is in its key: the query and every other variable of
    // the fetch (a client's `@include(if: $v)` inside the entity's selection is sent as one).
    const prefix = `${this.subgraph}\n${query}\n${otherVariables(variables!)}\n`;
    // Nothing this long is kept (MAX_ENTRY_CHARS), so it is neither looked up nor remembered as cacheable.
    if (prefix.length > MAX_ENTRY_CHARS) return this.inner.process(options);
    const keys = representations.map((representation) => `${prefix}${JSON.stringify(representation)}`);
    const kept = fresh || !this.cacheableQueries.has(query) ? undefined : await this.cache.getAll(keys, now);
    if (kept) return { data: { _entities: kept } };

    const response = await this.inner.process(options);
    if (fresh) return response;
    const maxAge = publicMaxAge(response.http?.headers.get("cache-control"));
    const entities = response.data?._entities;
    if (maxAge > 0 && !response.errors?.length && Array.isArray(entities) && entities.length === keys.length) {
      if (this.cacheableQueries.size >= 1_000) this.cacheableQueries.clear();
      this.cacheableQueries.add(query);
      // An entity the subgraph did not return (null) is not kept: it is asked for again next time.
      const found = keys.flatMap((key, i) => (entities[i] === null || typeof entities[i] !== "object" ? [] : [{ key, value: entities[i] }]));
      if (found.length) await this.cache.setAll(found, now + maxAge * 1000, now);
    }
    return response;
  }
}

/** Who a private answer is kept for: a member, an admin or a partner app by its id; nobody else has private answers. */
export function callerKeyOf(identity: Identity | undefined): string | null {
  switch (identity?.kind) {
    case "member":
      return `member:${identity.memberId}`;
    case "admin":
      return `admin:${identity.subject}`;
    case "partner":
      return `partner:${identity.partnerId}`;
    default:
      return null;
  }
}

/** The fetch's variables other than `representations`, as JSON ("" when there are none: the usual case). */
function otherVariables(variables: Record<string, unknown>): string {
  let others: Record<string, unknown> | undefined;
  for (const name in variables) if (name !== "representations") (others ??= {})[name] = variables[name];
  return others ? JSON.stringify(others) : "";
}
