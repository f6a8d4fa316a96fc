import { registerEnumType } from "type-graphql";

/** Whether a link gives its partner a view of the member: only with the member's consent. */
export enum PartnerAccountStatus {
  PENDING = "PENDING",
  ACTIVE = "ACTIVE",
}
registerEnumType(PartnerAccountStatus, {
  name: "PartnerAccountStatus",
  description:
    "Whether the member has agreed to a link. Only an ACTIVE link lets the partner's apps see anything of the member " +
    "(`displayName`, `tier`, `balance.available`); earning at the partner (`recordPurchase`) needs no link at all.",
  valuesConfig: {
    PENDING: {
      description:
        "Made by the partner's app (linkPartnerAccount, or enrollMember at its till) and waiting for the member to approve it with approvePartnerLink. " +
        "Gives the partner no view of the member; the member and admins see it.",
    },
    ACTIVE: { description: "Agreed by the member (made or approved by them) or made by an admin: the partner's apps see the member's `displayName`, `tier` and `balance.available`." },
  },
});
