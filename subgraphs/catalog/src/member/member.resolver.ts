import { Arg, Ctx, Directive, FieldResolver, Int, Resolver, Root } from "type-graphql";
import { decodeIdCursor, encodeIdCursor, pageOf } from "../../../../shared/src/cursor";
import { appError, badInput } from "../../../../shared/src/errors";
import { pageSize } from "../../../../shared/src/validation";
import { requireSelf } from "../../../../shared/src/auth/policy";
import type { Context } from "../context";
import { Redemption } from "../redemption/redemption.type";
import { Reward } from "../reward/reward.type";
import { RedemptionConnection, RedemptionEdge, RewardConnection, rewardConnection } from "../connection.types";
import { Member } from "./member.type";

const DEFAULT_FIRST = 20;

@Resolver(() => Member)
export class MemberResolver {
  @Directive(`@requires(fields: "tier balance { available }")`)
  @FieldResolver(() => [Reward], {
    nullable: true,
    description:
      "Rewards the member can redeem right now, exactly those `redeemReward` would accept at this instant: active, within their validity window " +
      "(`validFrom` and `validUntil` inclusive), in stock (or unlimited), `minimumTier` at or below the member's tier, `maxPerMember` not reached " +
      "(pending and completed redemptions count), and costing no more than `balance.available`; cheapest first. Only the member and admins see them.",
  })
  eligibleRewards(
    @Root() member: Member,
    @Arg("first", () => Int, { nullable: true, defaultValue: DEFAULT_FIRST, description: "How many, 1 to 100." }) first: number | null,
    @Ctx() { identity, loaders }: Context,
  ): Promise<Reward[]> {
    requireSelf(identity, member.id);
    // The gateway supplies these from the ledger (only the gateway and services can call the catalog):
    // without them the ledger did not answer (they are nullable so that a profile reads without it).
    if (!member.tier || typeof member.balance?.available !== "number") {
      throw appError("UPSTREAM_UNAVAILABLE", "The member's tier and balance could not be read from the points service; try again shortly");
    }
    return loaders.eligibleRewards.load({ memberId: member.id, tier: member.tier, available: member.balance.available, first: pageSize(first ?? DEFAULT_FIRST), after: null });
  }

  @Directive(`@requires(fields: "tier balance { available }")`)
  @FieldResolver(() => RewardConnection, {
    nullable: true,
    description:
      "`eligibleRewards` a page at a time, as a cursor connection (cheapest first): pass `pageInfo.endCursor` as `after` while `pageInfo.hasNextPage` is true. " +
      "Each page is evaluated when it is asked for, so a reward that became redeemable or stopped being so meanwhile shows or not on later pages. Only the member and admins see them.",
  })
  async eligibleRewardsConnection(
    @Root() member: Member,
    @Arg("first", () => Int, { nullable: true, defaultValue: DEFAULT_FIRST, description: "How many, 1 to 100." }) first: number | null,
    @Arg("after", () => String, { nullable: true, description: "Continue after this reward: the `endCursor` of the previous page (or any edge's `cursor`). Omit for the cheapest." })
    after: string | null,
    @Ctx() { identity, loaders }: Context,
  ): Promise<RewardConnection> {
    requireSelf(identity, member.id);
    if (!member.tier || typeof member.balance?.available !== "number") {
      throw badInput("Member.eligibleRewardsConnection needs the member's tier and balance; query it through the gateway");
    }
    const size = pageSize(first ?? DEFAULT_FIRST);
    const afterId = after == null ? null : decodeIdCursor("reward", after);
    const rows = await loaders.eligibleRewards.load({ memberId: member.id, tier: member.tier, available: member.balance.available, first: size + 1, after: afterId });
    return rewardConnection(rows, size);
  }

  @FieldResolver(() => [Redemption], { nullable: true, description: "The member's redemptions in every status, newest first. Only the member and admins see them." })
  redemptions(
    @Root() member: Member,
    @Arg("first", () => Int, { nullable: true, defaultValue: DEFAULT_FIRST, description: "How many, 1 to 100." }) first: number | null,
    @Ctx() { identity, loaders }: Context,
  ): Promise<Redemption[]> {
    requireSelf(identity, member.id);
    return loaders.memberRedemptions.load({ memberId: member.id, first: pageSize(first ?? DEFAULT_FIRST), after: null });
  }

  @FieldResolver(() => RedemptionConnection, {
    nullable: true,
    description:
      "`redemptions` a page at a time, as a cursor connection (newest first): pass `pageInfo.endCursor` as `after` while `pageInfo.hasNextPage` is true. Only the member and admins see them.",
  })
  async redemptionsConnection(
    @Root() member: Member,
    @Arg("first", () => Int, { nullable: true, defaultValue: DEFAULT_FIRST, description: "How many, 1 to 100." }) first: number | null,
    @Arg("after", () => String, { nullable: true, description: "Continue after this redemption: the `endCursor` of the previous page (or any edge's `cursor`). Omit for the newest." })
    after: string | null,
    @Ctx() { identity, loaders }: Context,
  ): Promise<RedemptionConnection> {
    requireSelf(identity, member.id);
    const size = pageSize(first ?? DEFAULT_FIRST);
    const afterId = after == null ? null : decodeIdCursor("redemption", after);
    const { items, hasNextPage } = pageOf(await loaders.memberRedemptions.load({ memberId: member.id, first: size + 1, after: afterId }), size);
    const edges = items.map((node) => Object.assign(new RedemptionEdge(), { cursor: encodeIdCursor("redemption", node.id), node }));
    return Object.assign(new RedemptionConnection(), { edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } });
  }
}
