import type { Context } from "../context";

/** `_entities` for Member: batched through the request's loader; null for unknown ids. */
export const memberReference = {
  Member: {
    __resolveReference: (reference: { id: string }, context: Context) => context.loaders.member.load(reference.id),
  },
};
