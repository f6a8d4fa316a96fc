import type { Context } from "../context";
import { requireRedemptionViewer } from "./redemption.access";

/**
 * `_entities` for Redemption: batched through the request's loader. A redemption is its member's
 * (and its offering partner's): anyone else is refused, whether it exists or not, as on every other path.
 */
export const redemptionReference = {
  Redemption: {
    __resolveReference: async (reference: { id: string }, context: Context) => {
      const redemption = await context.loaders.redemption.load(reference.id);
      await requireRedemptionViewer(context, redemption);
      return redemption;
    },
  },
};
