import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import { requirePartner } from "../../../../shared/src/auth/policy";
import { withExample } from "../../../../shared/src/schema-docs";
import type { Context } from "../context";
import { LedgerEntry } from "../entry/ledger-entry.type";
import { RecordPurchaseInput } from "./record-purchase.input";
import { CAP_TEXT, TIER_MULTIPLIERS_TEXT } from "../rule-docs";

@Resolver()
export class PurchaseResolver {
  @Mutation(() => LedgerEntry, {
    description: withExample(
      "Records a purchase at a partner and earns the member points from the partner's rule: floor(amountMinor / 100 × pointsPerUnit) base points, " +
        `times the member's tier bonus (${TIER_MULTIPLIERS_TEXT}), rounded down, at the tier the member had when the purchase was made ` +
        "(`occurredAt` for a late purchase); only the base points qualify. Returns the member's EARN entry. Points stay pending for the partner's " +
        "return window. Callers: the partner's own apps and admins. Idempotent per (partnerId, reference): a retry returns the first entry; " +
        "the same reference with different details is an IDEMPOTENCY_CONFLICT. Errors: BAD_USER_INPUT (with `extensions.field`, e.g. the wrong currency), " +
        `NOT_FOUND, IDEMPOTENCY_CONFLICT, LIMIT_EXCEEDED (the member's lifetime earned points or balance would pass ${CAP_TEXT}).`,
      `mutation {
  recordPurchase(input: { partnerId: "0c7d3f9a-2b41-4e8c-8d6a-5e3b1f2a9c77", memberId: "5b0e5c2e-8f0a-4d36-9a57-2f1c8a9d4e10", amountMinor: 4599, currency: "EUR", reference: "receipt-1042" }) {
    id
    points
    occurredAt
  }
}`,
    ),
  })
  recordPurchase(@Arg("input", () => RecordPurchaseInput, { description: "The purchase: partner, member, amount in minor units, currency and the partner's receipt id." }) input: RecordPurchaseInput, @Ctx() { identity, purchases, requestId }: Context): Promise<LedgerEntry> {
    requirePartner(identity, input.partnerId);
    return purchases.record(input, { identity, requestId });
  }
}
