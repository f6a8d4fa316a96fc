import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../context";
import { Reward } from "../reward/reward.type";
import { Partner } from "./partner.type";

@Resolver(() => Partner)
export class PartnerResolver {
  @FieldResolver(() => [Reward], { description: "The partner's rewards, active or not, cheapest first (ties by id)." })
  rewards(@Root() partner: Partner, @Ctx() { loaders }: Context): Promise<Reward[]> {
    return loaders.partnerRewards.load(partner.id);
  }
}
