import type { ApolloServerPlugin } from "@apollo/server";
/** A subgraph answer's Cache-Control, read once for both its readers: the client's cache policy and the entity cache. */
export interface CacheHint {
  maxAge: number;
  scope?: "PUBLIC" | "PRIVATE";
}

/**
 * A subgraph's Cache-Control as a cache hint, read as @apollo/gateway reads it (max-age in whole
 * seconds, else 0; the scope from private or public), directive names in any case, and safer in two
 * ways: private wins wherever it appears beside public (Apollo took public when it came last), and
 * no-store or no-cache make max-age 0 (Apollo ignored them).
 */
export function cacheHintOf(header: string | null | undefined): CacheHint {
  const hint: CacheHint = { maxAge: 0 };
  let uncacheable = false;
  for (const part of header?.trim().split(/\s*,\s*/) ?? []) {
    const [rawName, value] = part.split(/\s*=\s*/, 2);
    const name = rawName.toLowerCase();
    const unquoted = value?.replace(/^"|"$/g, "");
    if (name === "max-age" && unquoted !== undefined && /^[0-9]+$/.test(unquoted)) hint.maxAge = Number(unquoted);
    else if (name === "private" && value === undefined) hint.scope = "PRIVATE";
    else if (name === "public" && value === undefined && hint.scope !== "PRIVATE") hint.scope = "PUBLIC";
    else if (name === "no-store" || name === "no-cache") uncacheable = true;
  }
  if (uncacheable) hint.maxAge = 0;
  return hint;
}

/** How long the gateway may keep a subgraph's answer for every caller: `public, max-age=N` -> N; anything else -> 0. */
export function publicMaxAge(header: string | null | undefined): number {
  const hint = cacheHintOf(header);
  return hint.scope === "PUBLIC" ? hint.maxAge : 0;
}

/**
 * Whether a client's request asks for a fresh answer, so the gateway neither reads its caches (the
 * public entities, the private answers) nor writes them for this request: `Cache-Control` with
 * `no-cache`, `no-store` or `max-age=0` (RFC 9111 5.2.1; names in any case, a value quoted or not, among
 * any other directives), or, with no `Cache-Control` at all, `Pragma: no-cache` (HTTP/1.0 clients, RFC
 * 9111 5.4). Other request directives are not honoured: `max-age=N` above 0, `min-fresh` and
 * `max-stale` (a kept answer is never older than its subgraph's max-age: 60 s public, 600 s private),
 * `only-if-cached`.
 */
export function wantsFreshAnswer(headers: { get(name: string): string | null | undefined } | undefined): boolean {
  if (!headers) return false;
  const cacheControl = headers.get("cache-control");
  if (cacheControl == null) return /(?:^|,)\s*no-cache\s*(?:,|$)/i.test(headers.get("pragma") ?? "");
  for (const part of cacheControl.split(",")) {
    const [rawName, value] = part.split("=", 2);
    const name = rawName.trim().toLowerCase();
    if (name === "no-cache" || name === "no-store") return true;
    if (name === "max-age" && value !== undefined && /^"?0+"?$/.test(value.trim())) return true;
  }
  return false;
}

/** The request headers a private answer depends on: the caller's credentials (and, for browsers, the page's origin). */
export const PRIVATE_VARY = "Origin, Authorization, X-Api-Key";

/**
 * A private answer (`Cache-Control: ..., private`) is its caller's alone, yet a GET query's URL is the
 * same for every caller: a browser or client cache keyed by URL alone would serve it to whoever asks
 * next with other credentials (or none). Such answers say `Vary` on the credentials.
 */
export function varyPrivateAnswers(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ overallCachePolicy, response }) {
          if (overallCachePolicy.policyIfCacheable()?.scope === "PRIVATE") response.http.headers.set("vary", PRIVATE_VARY);
        },
      };
    },
  };
}
