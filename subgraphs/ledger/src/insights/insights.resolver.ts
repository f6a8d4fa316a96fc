import { Arg, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { requirePartner } from "../../../../shared/src/auth/policy";
import { withExample } from "../../../../shared/src/schema-docs";
import type { Context } from "../context";
import { Partner } from "../partner/partner.type";
import { PartnerInsights } from "./insights.types";

@Resolver(() => Partner)
export class PartnerInsightsResolver {
  @FieldResolver(() => PartnerInsights, {
    nullable: true,
    description: withExample(
      "What the partner's actively linked members do across the coalition in one past calendar month: how many there are and were active at other partners, their tiers and " +
        "average available points now, and how many also made a purchase in each category of other partners. Private by construction: no member or other " +
        "partner is named, and any figure counting fewer than INSIGHTS_MIN_GROUP (10) members, or that could be subtracted from another to count fewer, is null. " +
        "Periods are whole UTC months that are over (`from` the first instant of a month, `to` the first instant of the next), so no two periods overlap. " +
        "Callers: the partner's own apps and admins (null and FORBIDDEN for anyone else). Errors: BAD_USER_INPUT (with `extensions.field`), FORBIDDEN, UPSTREAM_UNAVAILABLE.",
      `query {
  partner(id: "0c7d3f9a-2b41-4e8c-8d6a-5e3b1f2a9c77") {
    insights(from: "2026-10-01T00:00:00Z", to: "2026-11-01T00:00:00Z") {
      linkedMembers
      activeMembers
      tiers { tier members }
      averageBalance
      alsoEarnsAt { category members }
    }
  }
}`,
    ),
  })
  insights(
    @Root() partner: Partner,
    @Arg("from", () => Date, { description: "The first instant of a UTC month, e.g. `2026-10-01T00:00:00Z` (included)." }) from: Date,
    @Arg("to", () => Date, { description: "The first instant of the month after `from` (excluded); that month must be over." }) to: Date,
    @Ctx() { identity, insights }: Context,
  ): Promise<PartnerInsights> {
    requirePartner(identity, partner.id);
    return insights.insights(partner.id, from, to);
  }
}
