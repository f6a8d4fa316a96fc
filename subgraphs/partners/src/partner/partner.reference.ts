import { setCacheHint } from "../../../../shared/src/cache-hints";
import { partnerCacheSeconds } from "../../../../shared/src/config";
import type { Context } from "../context";

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
      setCacheHint(info, { maxAge: PUBLIC_MAX_AGE_SECONDS, scope: "PUBLIC" });
      return context.loaders.partner.load(reference.id);
    },
  },
};
