import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import { requirePartner } from "../../../../shared/src/auth/policy";
import type { Context } from "../context";
import { LedgerEntry } from "../entry/ledger-entry.type";
import { RecordPurchaseInput } from "./record-purchase.input";

@Resolver()
export class PurchaseResolver {
  @Mutation(() => LedgerEntry, {
    description:
      "Records a purchase at a partner and earns the member points from the partner's rule: floor(amountMinor / 100 × pointsPerUnit). " +
      "Idempotent per (partnerId, reference): a retry returns the first entry; the same reference with different details is an IDEMPOTENCY_CONFLICT. " +
      'Example: `recordPurchase(input: { partnerId: "…", memberId: "…", amountMinor: 4599, currency: "EUR", reference: "receipt-1042" }) { points }`.',
  })
  recordPurchase(@Arg("input", () => RecordPurchaseInput) input: RecordPurchaseInput, @Ctx() { identity, purchases }: Context): Promise<LedgerEntry> {
    requirePartner(identity, input.partnerId);
    return purchases.record(input);
  }
}
