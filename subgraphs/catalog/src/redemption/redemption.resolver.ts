import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import { requirePartner, requireSelf } from "../../../../shared/src/auth/policy";
import type { Context } from "../context";
import { Member } from "../member/member.type";
import { Reward } from "../reward/reward.type";
import { RedeemRewardInput } from "./redeem-reward.input";
import { Redemption } from "./redemption.type";

@Resolver(() => Redemption)
export class RedemptionResolver {
  @Mutation(() => Redemption, {
    description:
      "Spends a member's points on a reward and issues a voucher. Safe to retry with the same idempotencyKey. " +
      "Errors: NOT_FOUND, NOT_ELIGIBLE, OUT_OF_STOCK, INSUFFICIENT_POINTS, IDEMPOTENCY_CONFLICT, UPSTREAM_UNAVAILABLE.",
  })
  async redeemReward(@Arg("input", () => RedeemRewardInput, { description: "Who redeems what, and the retry key." }) input: RedeemRewardInput, @Ctx() { identity, redemptions }: Context): Promise<Redemption> {
    requireSelf(identity, input.memberId);
    return Redemption.from(await redemptions.redeem(input));
  }

  @Mutation(() => Redemption, {
    description:
      "Cancels a completed redemption whose voucher has not been used, within the cancellation window (24 hours by default): " +
      "the points go back to the member and the voucher to the stock. Cancelling twice is harmless. Errors: NOT_FOUND, CONFLICT (used, too late, not completed).",
  })
  async cancelRedemption(@Arg("id", () => ID, { description: "The redemption." }) id: string, @Ctx() { identity, cancellations }: Context): Promise<Redemption> {
    return Redemption.from(await cancellations.cancel(id, identity));
  }

  @Mutation(() => Redemption, {
    description: "The offering partner marks a voucher used when the member redeems it; it can no longer be cancelled. Marking it twice is harmless. Errors: NOT_FOUND, CONFLICT (cancelled).",
  })
  async markVoucherUsed(@Arg("code", () => String, { description: "The voucher code the member showed." }) code: string, @Ctx() { identity, cancellations }: Context): Promise<Redemption> {
    return Redemption.from(await cancellations.markUsed(code, identity));
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "Code the member shows the partner, e.g. `7K3M-Q9TX-…`; set once COMPLETED. Only the member, the offering partner and admins see it.",
  })
  async voucherCode(@Root() redemption: Redemption, @Ctx() { identity, loaders }: Context): Promise<string | null> {
    if (identity.kind === "partner") {
      const reward = await loaders.reward.load(redemption.rewardId);
      requirePartner(identity, reward?.partnerId ?? "");
    } else {
      requireSelf(identity, redemption.memberId);
    }
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
