import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import { requireSelf } from "../../../../shared/src/auth/policy";
import { requireRedemptionViewer } from "./redemption.access";
import { withExample } from "../../../../shared/src/schema-docs";
import type { Context } from "../context";
import { Member } from "../member/member.type";
import { Reward } from "../reward/reward.type";
import { RedeemRewardInput } from "./redeem-reward.input";
import { Redemption } from "./redemption.type";
import { ELIGIBILITY_ORDER_TEXT } from "../reward/eligibility";
import { DEFAULT_CANCEL_WINDOW_HOURS } from "../rules/cancellation";

@Resolver(() => Redemption)
export class RedemptionResolver {
  @Mutation(() => Redemption, {
    description: withExample(
      "Spends a member's points on a reward and issues a voucher: returns a COMPLETED redemption with its `voucherCode`, or an error with nothing spent. " +
        "Callers: the member themself and admins. Safe to retry with the same idempotencyKey (the same redemption comes back). " +
        "Errors: BAD_USER_INPUT, NOT_FOUND, NOT_ELIGIBLE (inactive, out of its dates, tier too low, per-member limit reached), OUT_OF_STOCK, " +
        "INSUFFICIENT_POINTS, LIMIT_EXCEEDED (the member's lifetime redeemed points, with those of redemptions in progress, would pass the cap: nothing spent), " +
        "IDEMPOTENCY_CONFLICT, UPSTREAM_UNAVAILABLE (it will be completed or refunded automatically). " +
        "The conditions are those of `Member.eligibleRewards` (a reward is listed there exactly when this accepts it); when several fail, the first in this order wins: " +
        `${ELIGIBILITY_ORDER_TEXT}.`,
      `mutation {
  redeemReward(input: { memberId: "5b0e5c2e-8f0a-4d36-9a57-2f1c8a9d4e10", rewardId: "2a4c6e8f-1b3d-4f5a-9c7e-0d2f4a6b8c1e", idempotencyKey: "checkout-7f3a" }) {
    id
    status
    pointsSpent
    voucherCode
  }
}`,
    ),
  })
  async redeemReward(@Arg("input", () => RedeemRewardInput, { description: "Who redeems what, and the retry key." }) input: RedeemRewardInput, @Ctx() { identity, now, redemptions, requestId }: Context): Promise<Redemption> {
    requireSelf(identity, input.memberId);
    return Redemption.from(await redemptions.redeem(input, now, { identity, requestId }));
  }

  @Mutation(() => Redemption, {
    description: withExample(
      `Cancels a completed redemption whose voucher has not been used, within the cancellation window (${DEFAULT_CANCEL_WINDOW_HOURS} hours by default): ` +
        "the points go back to the member, with the expiry they had, and the voucher to the stock. Callers: the member who redeemed and admins. " +
        "Cancelling twice is harmless. Errors: NOT_FOUND, CONFLICT (used, too late, not completed), LIMIT_EXCEEDED (the points would take the member's balance " +
        "past the cap: nothing done, the voucher stays valid), UPSTREAM_UNAVAILABLE (it will complete automatically).",
      `mutation {
  cancelRedemption(id: "7e9a1c3b-5d2f-4b8a-a6c4-3f1e5d7b9a20") { status updatedAt }
}`,
    ),
  })
  async cancelRedemption(@Arg("id", () => ID, { description: "The redemption's id (a UUID)." }) id: string, @Ctx() { identity, cancellations, requestId }: Context): Promise<Redemption> {
    return Redemption.from(await cancellations.cancel(id, identity, requestId));
  }

  @Mutation(() => Redemption, {
    description: withExample(
      "The offering partner marks a voucher used when the member redeems it at its till; it can no longer be cancelled. " +
        "Callers: the offering partner's apps (another partner's voucher reads as NOT_FOUND) and admins. Marking it twice is harmless. " +
        "Errors: NOT_FOUND, CONFLICT (cancelled), UPSTREAM_UNAVAILABLE (busy: retry shortly).",
      `mutation {
  markVoucherUsed(code: "7K3M-Q9TX-2BHD-W4NP-8RCF-J6VA") {
    voucherUsedAt
    reward { title }
  }
}`,
    ),
  })
  async markVoucherUsed(@Arg("code", () => String, { description: "The voucher code the member showed (case-insensitive)." }) code: string, @Ctx() { identity, cancellations, requestId }: Context): Promise<Redemption> {
    return Redemption.from(await cancellations.markUsed(code, identity, requestId));
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "Code the member shows the partner, e.g. `7K3M-Q9TX-…`; set once COMPLETED. Only the member, the offering partner and admins see it.",
  })
  async voucherCode(@Root() redemption: Redemption, @Ctx() { identity, loaders }: Context): Promise<string | null> {
    await requireRedemptionViewer({ identity, loaders }, redemption);
    return redemption.voucherCode;
  }

  @FieldResolver(() => Member, { description: "Who redeemed it." })
  member(@Root() redemption: Redemption): Member {
    return Member.stub(redemption.memberId);
  }

  @FieldResolver(() => Reward, { description: "What was redeemed." })
  async reward(@Root() redemption: Redemption, @Ctx() { loaders }: Context): Promise<Reward> {
    const reward = await loaders.reward.load(redemption.rewardId);
    // rewards are never deleted and redemptions reference them by foreign key.
    if (!reward) throw new Error(`Reward ${redemption.rewardId} of redemption ${redemption.id} is missing`);
    return reward;
  }
}
