import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
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
  async redeemReward(@Arg("input", () => RedeemRewardInput, { description: "Who redeems what, and the retry key." }) input: RedeemRewardInput, @Ctx() { redemptions }: Context): Promise<Redemption> {
    return Redemption.from(await redemptions.redeem(input));
  }

  @Mutation(() => Redemption, {
    description:
      "Cancels a completed redemption whose voucher has not been used, within the cancellation window (24 hours by default): " +
      "the points go back to the member and the voucher to the stock. Cancelling twice is harmless. Errors: NOT_FOUND, CONFLICT (used, too late, not completed).",
  })
  async cancelRedemption(@Arg("id", () => ID, { description: "The redemption." }) id: string, @Ctx() { cancellations }: Context): Promise<Redemption> {
    return Redemption.from(await cancellations.cancel(id));
  }

  @Mutation(() => Redemption, {
    description: "The offering partner marks a voucher used when the member redeems it; it can no longer be cancelled. Marking it twice is harmless. Errors: NOT_FOUND, CONFLICT (cancelled).",
  })
  async markVoucherUsed(@Arg("code", () => String, { description: "The voucher code the member showed." }) code: string, @Ctx() { cancellations }: Context): Promise<Redemption> {
    return Redemption.from(await cancellations.markUsed(code));
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
