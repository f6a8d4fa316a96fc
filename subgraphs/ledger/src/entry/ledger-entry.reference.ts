import type { Context } from "../context";

export const ledgerEntryReference = {
  LedgerEntry: {
    __resolveReference: (reference: { id: string }, context: Context) => context.loaders.ledgerEntry.load(reference.id),
  },
};
