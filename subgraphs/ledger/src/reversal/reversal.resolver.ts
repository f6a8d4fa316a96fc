import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import { requirePartner } from "../../../../shared/src/auth/policy";
import { withExample } from "../../../../shared/src/schema-docs";
import type { Context } from "../context";
import { LedgerEntry } from "../entry/ledger-entry.type";
import { ReversePurchaseInput } from "./reverse-purchase.input";

@Resolver()
export class ReversalResolver {
  @Mutation(() => LedgerEntry, {
    description: withExample(
      "Records a refund: claws back the purchase's points in proportion to the amount refunded, cumulatively: after refunds totalling R of an amount A, " +
        "floor(points × R / A) have been taken back (rounded down, so the last refund takes exactly what is left and never more than the purchase earned; " +
        "base points likewise). Returns the member's REVERSAL entry (negative points). The points come from the purchase's own points first (even while " +
        "pending), then the member's available points, nearest expiry first; what is still missing is owed (a negative available balance). Points " +
        "pending at other purchases are not touched, and repay the debt only once they become available; points that arrive available repay it at once. Qualifying points, tier and per-partner totals go down with it. Callers: the partner's own apps and admins. " +
        "Errors: BAD_USER_INPUT (e.g. more than is left to refund), NOT_FOUND (no such purchase), IDEMPOTENCY_CONFLICT.",
      `mutation {
  reversePurchase(input: { partnerId: "0c7d3f9a-2b41-4e8c-8d6a-5e3b1f2a9c77", reference: "receipt-1042", amountMinor: 1500, refundReference: "refund-77" }) {
    id
    points
  }
}`,
    ),
  })
  reversePurchase(@Arg("input", () => ReversePurchaseInput, { description: "The refund: which purchase, how much, and the partner's refund id." }) input: ReversePurchaseInput, @Ctx() { identity, reversals, requestId }: Context): Promise<LedgerEntry> {
    requirePartner(identity, input.partnerId);
    return reversals.reverse(input, { identity, requestId });
  }
}
