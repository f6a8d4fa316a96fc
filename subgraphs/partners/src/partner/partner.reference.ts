import type { GraphQLResolveInfo } from "graphql";
import { partnerCacheSeconds } from "../../../../shared/src/config";
import type { Context } from "../context";

/** Apollo Server's cache-control plugin adds this to `info` (absent where the plugin is not installed). */
type HintedInfo = GraphQLResolveInfo & { cacheControl?: { setCacheHint(hint: { maxAge: number; scope: "PUBLIC" | "PRIVATE" }): void } };

/** How long the gateway may keep a partner's public fields (name, category, rates): they change rarely. */
const PUBLIC_MAX_AGE_SECONDS = partnerCacheSeconds();

/**
 * `_entities` for Partner: batched through the request's loader. Every field of Partner here is public,
 * so the answer carries a public cache hint; a private field in the same call (API keys) has no hint
 * and makes the whole answer uncacheable.
 */
export const partnerReference = {
  Partner: {
    // Federation calls it (reference, context, info); the resolver map's type says otherwise.
    __resolveReference: (reference: { id: string }, context: Context, info: unknown) => {
      (info as HintedInfo).cacheControl?.setCacheHint({ maxAge: PUBLIC_MAX_AGE_SECONDS, scope: "PUBLIC" });
      return context.loaders.partner.load(reference.id);
    },
  },
};
