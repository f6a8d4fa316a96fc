import { Arg, Ctx, Directive, FieldResolver, Int, Resolver, Root } from "type-graphql";
import { appError } from "../../../../shared/src/errors";
import { pageSize } from "../../../../shared/src/validation";
import { requireSelf } from "../../../../shared/src/auth/policy";
import type { Context } from "../context";
import { Redemption } from "../redemption/redemption.type";
import { Reward } from "../reward/reward.type";
import { Member } from "./member.type";

const DEFAULT_FIRST = 20;

@Resolver(() => Member)
export class MemberResolver {
  @Directive(`@requires(fields: "tier balance { available }")`)
  @FieldResolver(() => [Reward], {
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
    return loaders.eligibleRewards.load({ memberId: member.id, tier: member.tier, available: member.balance.available, first: pageSize(first ?? DEFAULT_FIRST) });
  }

  @FieldResolver(() => [Redemption], { description: "The member's redemptions in every status, newest first. Only the member and admins see them." })
  redemptions(
    @Root() member: Member,
    @Arg("first", () => Int, { nullable: true, defaultValue: DEFAULT_FIRST, description: "How many, 1 to 100." }) first: number | null,
    @Ctx() { identity, loaders }: Context,
  ): Promise<Redemption[]> {
    requireSelf(identity, member.id);
    return loaders.memberRedemptions.load({ memberId: member.id, first: pageSize(first ?? DEFAULT_FIRST) });
  }
}
