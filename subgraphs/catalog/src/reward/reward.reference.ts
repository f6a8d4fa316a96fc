import type { Context } from "../context";

/** `_entities` for Reward: batched through the request's loader. */
export const rewardReference = {
  Reward: {
    __resolveReference: (reference: { id: string }, context: Context) => context.loaders.reward.load(reference.id),
  },
};
