import { registerEnumType } from "type-graphql";

/** Enums shared by several subgraphs; every subgraph must define them identically to compose. */

export enum TierLevel {
  BASE = "BASE",
  SILVER = "SILVER",
  GOLD = "GOLD",
  PLATINUM = "PLATINUM",
}
// The thresholds, multipliers and window live in the ledger's rules (subgraphs/ledger/src/rules) and
// are quoted by the ledger's own descriptions (Member.tier, tierProgress); this enum, shared by every
// subgraph, names the tiers only, so that changing a rule never means editing it here too.
registerEnumType(TierLevel, {
  name: "TierLevel",
  description:
    "Membership tier, from the member's qualifying points (see `Member.tierProgress` for the thresholds and how far the member is). " +
    "A higher tier earns more points per purchase and unlocks rewards with a higher `minimumTier`; tiers go down as qualifying points leave the window.",
  valuesConfig: {
    BASE: { description: "Every member starts here; earns the partner's base rate." },
    SILVER: { description: "The second tier." },
    GOLD: { description: "The third tier." },
    PLATINUM: { description: "The top tier." },
  },
});

/** Tiers in ascending order, for comparisons. */
export const TIER_ORDER: readonly TierLevel[] = [TierLevel.BASE, TierLevel.SILVER, TierLevel.GOLD, TierLevel.PLATINUM];

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
