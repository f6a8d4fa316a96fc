import type { Context } from "../context";

/**
 * `_entities` for Member: batched through the request's loader; null for unknown ids. An admin's
 * read of a member's profile through another service's field (an entry's or a redemption's `member`)
 * is recorded like a root read: one READ_MEMBER_PROFILE line per member found, one transaction per request batch.
 */
export const memberReference = {
  Member: {
    __resolveReference: async (reference: { id: string }, context: Context) => {
      const member = await context.loaders.member.load(reference.id);
      if (member && context.identity.kind === "admin") await context.loaders.profileRead.load(member.id);
      return member;
    },
  },
};
