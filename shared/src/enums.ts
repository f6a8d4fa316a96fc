import { registerEnumType } from "type-graphql";

/** Enums shared by several subgraphs; every subgraph must define them identically to compose. */

export enum TierLevel {
  BASE = "BASE",
  SILVER = "SILVER",
  GOLD = "GOLD",
  PLATINUM = "PLATINUM",
}
registerEnumType(TierLevel, {
  name: "TierLevel",
  description: "Membership tier, earned from qualifying points over the trailing 12 months.",
});

/** Tiers in ascending order, for comparisons. */
export const TIER_ORDER: readonly TierLevel[] = [TierLevel.BASE, TierLevel.SILVER, TierLevel.GOLD, TierLevel.PLATINUM];
export const tierRank = (tier: TierLevel) => TIER_ORDER.indexOf(tier);

export enum PartnerCategory {
  AIRLINE = "AIRLINE",
  GROCERY = "GROCERY",
  FUEL = "FUEL",
  HOTEL = "HOTEL",
  DINING = "DINING",
  RETAIL = "RETAIL",
  TRAVEL = "TRAVEL",
  OTHER = "OTHER",
}
registerEnumType(PartnerCategory, { name: "PartnerCategory", description: "What kind of business a partner brand is." });
