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
  description:
    "Membership tier, from qualifying points over the trailing 12 months (base points of purchases, not pending, less refunds). " +
    "A higher tier earns more points per purchase and unlocks rewards with a higher `minimumTier`. Tiers go down as points leave the 12 months.",
  valuesConfig: {
    BASE: { description: "Every member starts here: under 5,000 qualifying points. Earns the partner's base rate (×1.0)." },
    SILVER: { description: "5,000 qualifying points or more. Earns ×1.25 the base points." },
    GOLD: { description: "20,000 qualifying points or more. Earns ×1.5 the base points." },
    PLATINUM: { description: "50,000 qualifying points or more, the top tier. Earns ×2 the base points." },
  },
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
registerEnumType(PartnerCategory, {
  name: "PartnerCategory",
  description: "What kind of business a partner brand is; informational (it changes no rule).",
  valuesConfig: {
    AIRLINE: { description: "An airline." },
    GROCERY: { description: "A supermarket or grocer." },
    FUEL: { description: "A fuel or charging station chain." },
    HOTEL: { description: "A hotel chain or other lodging." },
    DINING: { description: "Restaurants, cafés and coffee shops." },
    RETAIL: { description: "Shops other than groceries." },
    TRAVEL: { description: "Travel other than flights and hotels: car hire, rail, travel agents." },
    OTHER: { description: "Any other kind of business." },
  },
});
