import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { pageSize, requireId } from "../../../../shared/src/validation";
import { requirePartner } from "../../../../shared/src/auth/policy";
import { withExample } from "../../../../shared/src/schema-docs";
import type { Context } from "../context";
import { Partner } from "../partner/partner.type";
import { CreateRewardInput } from "./create-reward.input";
import { Reward } from "./reward.type";
import { RewardConnection, rewardConnection } from "../connection.types";
import { decodeIdCursor } from "../../../../shared/src/cursor";

const DEFAULT_FIRST = 50;

@Resolver(() => Reward)
export class RewardResolver {
  @Query(() => Reward, {
    nullable: true,
    description: withExample(
      "A reward by id, active or not; null when there is none. Public: anyone may read the catalog, signed in or not. Errors: BAD_USER_INPUT (an id that is not a UUID).",
      `query {
  reward(id: "2a4c6e8f-1b3d-4f5a-9c7e-0d2f4a6b8c1e") {
    title
    costPoints
    minimumTier
    stock
    partner { name }
  }
}`,
    ),
  })
  reward(@Arg("id", () => ID, { description: "The reward's id (a UUID); anything else is BAD_USER_INPUT." }) id: string, @Ctx() { loaders }: Context): Promise<Reward | null> {
    return loaders.reward.load(requireId(id, "id"));
  }

  @Query(() => [Reward], {
    description: withExample(
      "Rewards, active or not, cheapest first (ties by id); the first `first` of them. Public: anyone may call it, signed in or not. " +
        "For what one member can redeem now, ask `Member.eligibleRewards`. Errors: BAD_USER_INPUT (`first` outside 1 to 100, a partnerId that is not a UUID).",
      `query {
  rewards(partnerId: "0c7d3f9a-2b41-4e8c-8d6a-5e3b1f2a9c77", first: 10) {
    id
    title
    costPoints
    active
  }
}`,
    ),
  })
  async rewards(
    @Arg("partnerId", () => ID, { nullable: true, description: "Only this partner's rewards (a partner id); omit for every partner's." }) partnerId: string | null | undefined,
    @Arg("first", () => Int, { nullable: true, defaultValue: DEFAULT_FIRST, description: "How many, 1 to 100." }) first: number | null,
    @Ctx() { rewards }: Context,
  ): Promise<Reward[]> {
    const partner = partnerId == null ? null : requireId(partnerId, "partnerId");
    return (await rewards.list(partner, pageSize(first ?? DEFAULT_FIRST))).map(Reward.from);
  }

  @Query(() => RewardConnection, {
    description: withExample(
      "`rewards` a page at a time, as a cursor connection (cheapest first, ties by id): pass `pageInfo.endCursor` as `after` while `pageInfo.hasNextPage` is true. Public: anyone may call it. " +
        "Errors: BAD_USER_INPUT (`first` outside 1 to 100, a partnerId that is not a UUID, a cursor this field did not give).",
      `query {
  rewardsConnection(first: 10) {
    edges { cursor node { id title costPoints active } }
    pageInfo { hasNextPage endCursor }
  }
}`,
    ),
  })
  async rewardsConnection(
    @Arg("partnerId", () => ID, { nullable: true, description: "Only this partner's rewards (a partner id); omit for every partner's." }) partnerId: string | null | undefined,
    @Arg("first", () => Int, { nullable: true, defaultValue: DEFAULT_FIRST, description: "How many, 1 to 100." }) first: number | null,
    @Arg("after", () => String, { nullable: true, description: "Continue after this reward: the `endCursor` of the previous page (or any edge's `cursor`). Omit for the cheapest." })
    after: string | null,
    @Ctx() { rewards }: Context,
  ): Promise<RewardConnection> {
    const partner = partnerId == null ? null : requireId(partnerId, "partnerId");
    const size = pageSize(first ?? DEFAULT_FIRST);
    const afterId = after == null ? null : decodeIdCursor("reward", after);
    return rewardConnection((await rewards.list(partner, size + 1, afterId)).map(Reward.from), size);
  }

  @Mutation(() => Reward, {
    description: withExample(
      "Adds a reward to a partner's catalog. Callers: the partner's own apps and admins. Errors: BAD_USER_INPUT (with `extensions.field`), NOT_FOUND (no such partner).",
      `mutation {
  createReward(input: { partnerId: "0c7d3f9a-2b41-4e8c-8d6a-5e3b1f2a9c77", title: "Free coffee", costPoints: 300, stock: 500, maxPerMember: 2 }) {
    id
    title
    costPoints
  }
}`,
    ),
  })
  async createReward(@Arg("input", () => CreateRewardInput, { description: "The reward to add." }) input: CreateRewardInput, @Ctx() { identity, rewards, requestId }: Context): Promise<Reward> {
    requirePartner(identity, input.partnerId);
    return Reward.from(await rewards.create(input, { identity, requestId }));
  }

  @FieldResolver(() => Partner, { description: "The partner offering it." })
  partner(@Root() reward: Reward): Partner {
    return Partner.stub(reward.partnerId);
  }
}
