import { Field, ObjectType } from "type-graphql";
import { PartnerCategory, TierLevel } from "../../../../shared/src/enums";
import { SafeInt } from "../scalars";

const SUPPRESSED = "null when it counts fewer than INSIGHTS_MIN_GROUP (10) members, or could be combined with another figure to count fewer";

@ObjectType({ description: "How many of the partner's linked members are at one tier now." })
export class TierCount {
  @Field(() => TierLevel, { description: "The tier." })
  tier!: TierLevel;

  @Field(() => SafeInt, { nullable: true, description: `Members at this tier; ${SUPPRESSED} (the tiers add up to linkedMembers, so a small tier hides another with it).` })
  members!: number | null;
}

@ObjectType({ description: "How many of the partner's linked members also made a purchase in one category of other partners in the period." })
export class CategoryShare {
  @Field(() => PartnerCategory, { description: "The category (never a partner's name)." })
  category!: PartnerCategory;

  @Field(() => SafeInt, { nullable: true, description: `Linked members with a purchase at another partner of this category in the period; ${SUPPRESSED} (against linkedMembers and activeMembers), and null unless INSIGHTS_MIN_GROUP of them or more bought in the category elsewhere than at its busiest partner (else it would be, or be within that of, one partner's count).` })
  members!: number | null;
}

@ObjectType({
  description:
    "What a partner may learn about its own actively linked members across the coalition, private by construction: counts only, no member and no other partner named, " +
    "and every figure that counts (or, subtracted from another, would count) fewer than INSIGHTS_MIN_GROUP (10) members is null. Computed from running totals.",
})
export class PartnerInsights {
  @Field(() => Date, { description: "Start of the period (the first instant of a UTC month), included." })
  from!: Date;

  @Field(() => Date, { description: "End of the period (the first instant of the next month), excluded." })
  to!: Date;

  @Field(() => SafeInt, { nullable: true, description: "Members with an ACTIVE link to the partner now; null under INSIGHTS_MIN_GROUP (and then every other figure is null too)." })
  linkedMembers!: number | null;

  @Field(() => SafeInt, { nullable: true, description: `Of them, members with a purchase at another partner of the coalition in the period (the partner's own sales are its own to count); ${SUPPRESSED} (the inactive ones must reach the minimum too).` })
  activeMembers!: number | null;

  @Field(() => [TierCount], { description: "The linked members by tier now, one entry per tier, lowest first." })
  tiers!: TierCount[];

  @Field(() => SafeInt, { nullable: true, description: "The linked members' average available points now, rounded down; null when linkedMembers is." })
  averageBalance!: number | null;

  @Field(() => [CategoryShare], { description: "For each category with other partners in it: how many linked members also made a purchase there in the period." })
  alsoEarnsAt!: CategoryShare[];
}
