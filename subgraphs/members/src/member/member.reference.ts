import type { Context } from "../context";
import type { Member } from "./member.type";

type MemberReference = Pick<Member, "id" | "ledgerDataExport" | "catalogDataExport" | "partnersDataExport">;

/**
 * `_entities` for Member: batched through the request's loader; null for unknown ids. The other
 * services' parts of the data export arrive in the representation (`@requires`) and are kept on it.
 * An admin's read of a member's profile through another service's field (an entry's or a
 * redemption's `member`) is recorded like a root read: one READ_MEMBER_PROFILE line per member
 * found, one transaction per request batch.
 */
export const memberReference = {
  Member: {
    __resolveReference: async (reference: MemberReference, context: Context) => {
      const member = await context.loaders.member.load(reference.id);
      if (member && context.identity.kind === "admin") await context.loaders.profileRead.load(member.id);
      if (member && "ledgerDataExport" in reference) member.ledgerDataExport = reference.ledgerDataExport;
      if (member && "catalogDataExport" in reference) member.catalogDataExport = reference.catalogDataExport;
      if (member && "partnersDataExport" in reference) member.partnersDataExport = reference.partnersDataExport;
      return member;
    },
  },
};
