import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import { isAdmin, requireAdmin, requireSelf } from "../../../../shared/src/auth/policy";
import { withExample } from "../../../../shared/src/schema-docs";
import type { Context } from "../context";
import { LedgerEntry } from "../entry/ledger-entry.type";
import { Adjustment, AdjustPointsInput } from "./adjustment.types";
import { CAP_TEXT } from "../rule-docs";

@Resolver(() => LedgerEntry)
export class AdjustmentResolver {
  @Mutation(() => LedgerEntry, {
    description: withExample(
      "Customer care: adds points to a member (positive) or takes them (negative) with a reason and a note, as an ADJUSTMENT entry (returned). " +
        "Funded by `fundedByPartnerId` (its issuance account, so it shows in that partner's clearing) or else by the coalition. Added points are spendable at once " +
        "(they repay a debt first) and expire like earned ones; taken points come from spendable points nearest expiry first, and what the member cannot cover " +
        "becomes a debt, as after a refund. Adjustments never count toward tier. Writes an audit line (ADJUST_POINTS) in the same transaction. Callers: admins only. " +
        "The idempotency key is the calling admin's own. Errors: BAD_USER_INPUT (with `extensions.field`: zero points, too many, an empty note), FORBIDDEN, " +
        `NOT_FOUND (member or partner), IDEMPOTENCY_CONFLICT, LIMIT_EXCEEDED (the balance would pass ${CAP_TEXT}).`,
      `mutation {
  adjustPoints(input: { memberId: "5b0e5c2e-8f0a-4d36-9a57-2f1c8a9d4e10", points: 500, reason: GOODWILL, note: "Hotel stay missing since March", idempotencyKey: "ticket-4411" }) {
    id
    kind
    points
    adjustment { reason note madeBy }
  }
}`,
    ),
  })
  adjustPoints(
    @Arg("input", () => AdjustPointsInput, { description: "The member, the points, the reason and note, the retry key, and who funds it." }) input: AdjustPointsInput,
    @Ctx() { identity, adjustments, requestId }: Context,
  ): Promise<LedgerEntry> {
    requireAdmin(identity);
    return adjustments.adjust(input, { identity, requestId });
  }

  @FieldResolver(() => Adjustment, { nullable: true, description: "For an ADJUSTMENT entry: why it was made and by whom; null for every other entry." })
  async adjustment(@Root() entry: LedgerEntry, @Ctx() { identity, loaders }: Context): Promise<Adjustment | null> {
    requireSelf(identity, entry.member.id);
    const found = await loaders.adjustment.load(entry.id);
    if (!found) return null;
    return isAdmin(identity) ? found : Object.assign(new Adjustment(), { ...found, madeBy: null });
  }
}
