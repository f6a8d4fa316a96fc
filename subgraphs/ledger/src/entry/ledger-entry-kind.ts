import { registerEnumType } from "type-graphql";

export enum LedgerEntryKind {
  EARN = "EARN",
  REDEEM = "REDEEM",
  TRANSFER_IN = "TRANSFER_IN",
  TRANSFER_OUT = "TRANSFER_OUT",
  EXPIRY = "EXPIRY",
  REVERSAL = "REVERSAL",
  ADJUSTMENT = "ADJUSTMENT",
  BONUS = "BONUS",
}
registerEnumType(LedgerEntryKind, {
  name: "LedgerEntryKind",
  description: "What moved points in or out of a member's balance.",
  valuesConfig: {
    EARN: { description: "Points earned by a purchase at a partner." },
    REDEEM: { description: "Points spent on a reward." },
    TRANSFER_IN: { description: "Points received from another member." },
    TRANSFER_OUT: { description: "Points given to another member." },
    EXPIRY: { description: "Points that expired unused." },
    REVERSAL: { description: "A reversal: points clawed back because a purchase was refunded (negative), or given back because a redemption was cancelled (positive)." },
    ADJUSTMENT: { description: "A manual correction by the coalition." },
    BONUS: { description: "Bonus points from a campaign or a referral, funded by a partner or by the coalition." },
  },
});
