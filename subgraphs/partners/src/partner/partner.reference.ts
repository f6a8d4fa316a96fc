import type { Context } from "../context";

/** `_entities` for Partner: batched through the request's loader. */
export const partnerReference = {
  Partner: {
    __resolveReference: (reference: { id: string }, context: Context) => context.loaders.partner.load(reference.id),
  },
};
