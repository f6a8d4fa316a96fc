import type { Context } from "../context";

/** `_entities` for Redemption: batched through the request's loader. */
export const redemptionReference = {
  Redemption: {
    __resolveReference: (reference: { id: string }, context: Context) => context.loaders.redemption.load(reference.id),
  },
};
