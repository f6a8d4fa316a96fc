import { requireSelf } from "../../../../shared/src/auth/policy";
import type { Context } from "../context";

/**
 * `_entities` for LedgerEntry. An entry is its member's activity: the member themself and admins
 * (services included) only, as `Member.activity`. Anyone else is refused whether the entry exists or
 * not (only an admin gets null for an unknown id), so an id tells nothing.
 */
export const ledgerEntryReference = {
  LedgerEntry: {
    __resolveReference: async (reference: { id: string }, context: Context) => {
      const entry = await context.loaders.ledgerEntry.load(reference.id);
      requireSelf(context.identity, entry?.member.id ?? "");
      return entry;
    },
  },
};
