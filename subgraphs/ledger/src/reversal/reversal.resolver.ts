import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import { requirePartner } from "../../../../shared/src/auth/policy";
import type { Context } from "../context";
import { LedgerEntry } from "../entry/ledger-entry.type";
import { ReversePurchaseInput } from "./reverse-purchase.input";

@Resolver()
export class ReversalResolver {
  @Mutation(() => LedgerEntry, {
    description:
      "Records a refund: claws back the purchase's points in proportion to the amount refunded (never more than it earned, across all refunds). " +
      "If the points were already spent the member owes them (a negative available balance) until new points repay it. " +
      'Example: `reversePurchase(input: { partnerId: "…", reference: "receipt-1042", amountMinor: 1500, refundReference: "refund-77" }) { points }`.',
  })
  reversePurchase(@Arg("input", () => ReversePurchaseInput) input: ReversePurchaseInput, @Ctx() { identity, reversals }: Context): Promise<LedgerEntry> {
    requirePartner(identity, input.partnerId);
    return reversals.reverse(input);
  }
}
