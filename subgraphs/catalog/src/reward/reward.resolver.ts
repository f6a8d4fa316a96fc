import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { pageSize, requireId } from "../../../../shared/src/validation";
import { requirePartner } from "../../../../shared/src/auth/policy";
import type { Context } from "../context";
import { Partner } from "../partner/partner.type";
import { CreateRewardInput } from "./create-reward.input";
import { Reward } from "./reward.type";

const DEFAULT_FIRST = 50;

@Resolver(() => Reward)
export class RewardResolver {
  @Query(() => Reward, { nullable: true, description: "A reward by id; null when there is none." })
  reward(@Arg("id", () => ID, { description: "The reward's id." }) id: string, @Ctx() { loaders }: Context): Promise<Reward | null> {
    return loaders.reward.load(requireId(id, "id"));
  }

  @Query(() => [Reward], { description: "Rewards, active or not, cheapest first (ties by id)." })
  async rewards(
    @Arg("partnerId", () => ID, { nullable: true, description: "Only this partner's rewards." }) partnerId: string | null | undefined,
    @Arg("first", () => Int, { nullable: true, defaultValue: DEFAULT_FIRST, description: "How many, 1 to 100." }) first: number | null,
    @Ctx() { rewards }: Context,
  ): Promise<Reward[]> {
    const partner = partnerId == null ? null : requireId(partnerId, "partnerId");
    return (await rewards.list(partner, pageSize(first ?? DEFAULT_FIRST))).map(Reward.from);
  }

  @Mutation(() => Reward, { description: "Adds a reward to a partner's catalog." })
  async createReward(@Arg("input", () => CreateRewardInput, { description: "The reward to add." }) input: CreateRewardInput, @Ctx() { identity, rewards }: Context): Promise<Reward> {
    requirePartner(identity, input.partnerId);
    return Reward.from(await rewards.create(input));
  }

  @FieldResolver(() => Partner, { description: "The partner offering it." })
  partner(@Root() reward: Reward): Partner {
    return Partner.stub(reward.partnerId);
  }
}
