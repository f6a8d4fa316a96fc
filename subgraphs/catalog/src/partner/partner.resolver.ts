import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import { pageSize } from "../../../../shared/src/validation";
import type { Context } from "../context";
import { Reward } from "../reward/reward.type";
import { PARTNER_REWARDS_MAX } from "../reward/reward.service";
import { Partner } from "./partner.type";

@Resolver(() => Partner)
export class PartnerResolver {
  /**
   * Bounded, and 100 by default, which the gateway's cost estimate reads: unbounded, it answered every
   * reward of the partner under each `Reward.partner` of a page, nested, growing with the square of a
   * partner's rewards past any cost limit (priced as 20 items, 180,000 ids answered for 300 rewards).
   */
  @FieldResolver(() => [Reward], {
    description: `The partner's rewards, active or not, cheapest first (ties by id): the first \`first\` of them. All of them, page by page: \`rewards(partnerId:, first:, after:)\`.`,
  })
  async rewards(
    @Root() partner: Partner,
    @Arg("first", () => Int, { defaultValue: PARTNER_REWARDS_MAX, description: `How many, 1 to ${PARTNER_REWARDS_MAX}.` }) first: number,
    @Ctx() { loaders }: Context,
  ): Promise<Reward[]> {
    const size = pageSize(first, PARTNER_REWARDS_MAX);
    return (await loaders.partnerRewards.load(partner.id)).slice(0, size);
  }
}
