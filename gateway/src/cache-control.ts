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
