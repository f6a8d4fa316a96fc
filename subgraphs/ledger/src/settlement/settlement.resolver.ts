import { Arg, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { requirePartner } from "../../../../shared/src/auth/policy";
import type { Context } from "../context";
import { Partner } from "../partner/partner.type";
import { requireSettlementRange } from "./settlement.range";
import { PartnerSettlement } from "./settlement.type";

@Resolver(() => Partner)
export class PartnerSettlementResolver {
  @FieldResolver(() => PartnerSettlement, {
    nullable: true,
    description:
      "The partner's points over a period, for settlement: issued, reversed, redeemed, expired, and what members still hold now. Only the partner's own apps and admins see it (null and FORBIDDEN for anyone else).",
  })
  settlement(
    @Root() partner: Partner,
    @Arg("from", () => Date, { description: "Start of the period, included (a date-time, e.g. `2026-10-01T00:00:00Z`)." }) from: Date,
    @Arg("to", () => Date, { description: "End of the period, excluded. Must be after `from`, at most 366 days later." }) to: Date,
    @Ctx() { identity, loaders }: Context,
  ): Promise<PartnerSettlement> {
    requirePartner(identity, partner.id);
    return loaders.settlement.load({ partnerId: partner.id, ...requireSettlementRange(from, to) });
  }
}
