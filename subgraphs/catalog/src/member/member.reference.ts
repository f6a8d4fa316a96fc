import type { Member } from "./member.type";

/**
 * `_entities` for Member: the gateway's representation already holds everything the catalog reads
 * (`id`, plus `tier` and `balance { available }` for eligibility), so it is used as is.
 */
export const memberReference = {
  Member: {
    __resolveReference: (reference: Member) => reference,
  },
};
