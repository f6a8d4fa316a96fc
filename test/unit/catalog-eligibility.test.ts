import {
  ELIGIBILITY,
  type EligibilityReward,
  type MemberStanding,
  eligibilityFilter,
  firstUnmet,
} from "../../subgraphs/catalog/src/reward/eligibility";
import { TierLevel } from "../../shared/src/enums";

/**
 * The catalog's eligibility list against numbers written out by hand: every condition at its
 * boundary, the order of error codes, and the SQL the list generates.
 */
const NOW = new Date("2026-06-01T12:00:00.000Z");
const ms = (offset: number) => new Date(NOW.getTime() + offset);

const reward = (overrides: Partial<EligibilityReward> = {}): EligibilityReward => ({
  active: true,
  validFrom: null,
  validUntil: null,
  stock: null,
  minimumTier: TierLevel.BASE,
  maxPerMember: null,
  costPoints: 500,
  ...overrides,
});
const standing = (overrides: Partial<MemberStanding> = {}): MemberStanding => ({ tier: TierLevel.BASE, available: 500, redeemed: 0, ...overrides });

/** The code `redeemReward` answers (null: it may redeem, and the list shows it). */
const codeFor = (r: Partial<EligibilityReward>, s: Partial<MemberStanding> = {}) => firstUnmet(reward(r), standing(s), NOW)?.code ?? null;
const conditionFor = (r: Partial<EligibilityReward>, s: Partial<MemberStanding> = {}) => firstUnmet(reward(r), standing(s), NOW)?.condition ?? null;

describe("catalog eligibility: each condition at its boundary", () => {
  it("a plain reward the member can afford is eligible", () => {
    expect(codeFor({})).toBeNull();
  });

  it("active: an inactive reward is NOT_ELIGIBLE", () => {
    expect(codeFor({ active: true })).toBeNull();
    expect(codeFor({ active: false })).toBe("NOT_ELIGIBLE");
  });

  it("validFrom: redeemable from that instant on (inclusive)", () => {
    expect(codeFor({ validFrom: null })).toBeNull();
    expect(codeFor({ validFrom: ms(-1) })).toBeNull();
    expect(codeFor({ validFrom: NOW })).toBeNull(); // exactly now: already valid
    expect(codeFor({ validFrom: ms(1) })).toBe("NOT_ELIGIBLE");
    expect(conditionFor({ validFrom: ms(1) })).toBe("validFrom");
  });

  it("validUntil: redeemable up to that instant (inclusive)", () => {
    expect(codeFor({ validUntil: null })).toBeNull();
    expect(codeFor({ validUntil: ms(1) })).toBeNull();
    expect(codeFor({ validUntil: NOW })).toBeNull(); // exactly now: still valid
    expect(codeFor({ validUntil: ms(-1) })).toBe("NOT_ELIGIBLE");
    expect(conditionFor({ validUntil: ms(-1) })).toBe("validUntil");
  });

  it("stock: 0 is OUT_OF_STOCK, 1 is enough, null is unlimited", () => {
    expect(codeFor({ stock: 0 })).toBe("OUT_OF_STOCK");
    expect(codeFor({ stock: 1 })).toBeNull();
    expect(codeFor({ stock: null })).toBeNull();
  });

  // The tier order BASE < SILVER < GOLD < PLATINUM, written out: [reward's minimumTier, member's tier, eligible].
  it.each([
    ["BASE", "BASE", true],
    ["BASE", "PLATINUM", true],
    ["SILVER", "BASE", false], // below
    ["SILVER", "SILVER", true], // at
    ["SILVER", "GOLD", true], // above
    ["GOLD", "SILVER", false],
    ["GOLD", "GOLD", true],
    ["GOLD", "PLATINUM", true],
    ["PLATINUM", "GOLD", false],
    ["PLATINUM", "PLATINUM", true],
  ] as const)("minimumTier %s, member %s: eligible %s", (minimumTier, tier, eligible) => {
    expect(codeFor({ minimumTier: TierLevel[minimumTier] }, { tier: TierLevel[tier] })).toBe(eligible ? null : "NOT_ELIGIBLE");
  });

  it("costPoints: exactly the available points is enough, one more is INSUFFICIENT_POINTS", () => {
    expect(codeFor({ costPoints: 500 }, { available: 500 })).toBeNull();
    expect(codeFor({ costPoints: 501 }, { available: 500 })).toBe("INSUFFICIENT_POINTS");
    expect(codeFor({ costPoints: 1 }, { available: 0 })).toBe("INSUFFICIENT_POINTS");
  });

  it("maxPerMember: one below the limit is eligible, the limit reached is NOT_ELIGIBLE, null is no limit", () => {
    expect(codeFor({ maxPerMember: 2 }, { redeemed: 0 })).toBeNull();
    expect(codeFor({ maxPerMember: 2 }, { redeemed: 1 })).toBeNull(); // one below
    expect(codeFor({ maxPerMember: 2 }, { redeemed: 2 })).toBe("NOT_ELIGIBLE"); // reached
    expect(conditionFor({ maxPerMember: 2 }, { redeemed: 2 })).toBe("maxPerMember");
    expect(codeFor({ maxPerMember: 1 }, { redeemed: 1 })).toBe("NOT_ELIGIBLE");
    expect(codeFor({ maxPerMember: null }, { redeemed: 1_000 })).toBeNull();
  });

  it("messages name the figures", () => {
    expect(firstUnmet(reward({ costPoints: 501 }), standing({ available: 500 }), NOW)!.message).toBe("This reward costs 501 points; the member has 500 available");
    expect(firstUnmet(reward({ minimumTier: TierLevel.GOLD }), standing({ tier: TierLevel.SILVER }), NOW)!.message).toBe("This reward needs tier GOLD or above; the member is SILVER");
    expect(firstUnmet(reward({ maxPerMember: 2 }), standing({ redeemed: 2 }), NOW)!.message).toBe("This reward can be redeemed at most 2 time(s) per member");
    expect(firstUnmet(reward({ validFrom: ms(1) }), standing(), NOW)!.message).toBe("This reward can be redeemed from 2026-06-01T12:00:00.001Z");
  });
});

describe("catalog eligibility: which code wins", () => {
  it("the list, in its documented order", () => {
    expect(ELIGIBILITY.map((c) => [c.name, c.code])).toEqual([
      ["active", "NOT_ELIGIBLE"],
      ["validFrom", "NOT_ELIGIBLE"],
      ["validUntil", "NOT_ELIGIBLE"],
      ["stock", "OUT_OF_STOCK"],
      ["minimumTier", "NOT_ELIGIBLE"],
      ["maxPerMember", "NOT_ELIGIBLE"],
      ["costPoints", "INSUFFICIENT_POINTS"],
    ]);
  });

  it("the first failing condition of the list wins", () => {
    const allFail = { active: false, validFrom: ms(1), stock: 0, minimumTier: TierLevel.GOLD, maxPerMember: 1, costPoints: 501 };
    expect(conditionFor(allFail, { redeemed: 1 })).toBe("active");
    expect(conditionFor({ ...allFail, active: true }, { redeemed: 1 })).toBe("validFrom");
    expect(conditionFor({ ...allFail, active: true, validFrom: null, validUntil: ms(-1) }, { redeemed: 1 })).toBe("validUntil");
    expect(codeFor({ ...allFail, active: true, validFrom: null }, { redeemed: 1 })).toBe("OUT_OF_STOCK"); // stock before tier, limit, points
    expect(conditionFor({ ...allFail, active: true, validFrom: null, stock: 1 }, { redeemed: 1 })).toBe("minimumTier");
    expect(conditionFor({ ...allFail, active: true, validFrom: null, stock: 1, minimumTier: TierLevel.BASE }, { redeemed: 1 })).toBe("maxPerMember");
    expect(codeFor({ ...allFail, active: true, validFrom: null, stock: 1, minimumTier: TierLevel.BASE }, { redeemed: 0 })).toBe("INSUFFICIENT_POINTS");
  });

  it("pairs: out of stock beats too dear; a reached limit beats too dear; a low tier beats too dear", () => {
    expect(codeFor({ stock: 0, costPoints: 501 })).toBe("OUT_OF_STOCK");
    expect(codeFor({ maxPerMember: 1, costPoints: 501 }, { redeemed: 1 })).toBe("NOT_ELIGIBLE");
    expect(codeFor({ minimumTier: TierLevel.SILVER, costPoints: 501 })).toBe("NOT_ELIGIBLE");
    expect(codeFor({ stock: 0, minimumTier: TierLevel.SILVER })).toBe("OUT_OF_STOCK");
    expect(codeFor({ validUntil: ms(-1), stock: 0 })).toBe("NOT_ELIGIBLE");
  });

  it("without the member's standing, only the reward's own conditions are decided", () => {
    expect(firstUnmet(reward({ active: false }), null, NOW)?.code).toBe("NOT_ELIGIBLE");
    expect(firstUnmet(reward({ stock: 0 }), null, NOW)?.code).toBe("OUT_OF_STOCK");
    expect(firstUnmet(reward({ minimumTier: TierLevel.PLATINUM, costPoints: 10_000_000 }), null, NOW)).toBeNull();
  });
});

describe("catalog eligibility: the SQL the list generates", () => {
  it("is the list's conditions, with now and the tier order as parameters (never SQL now())", () => {
    const filter = eligibilityFilter(5, NOW);
    expect(filter.params).toEqual([NOW, ["BASE", "SILVER", "GOLD", "PLATINUM"]]);
    expect(filter.sql.split("\n AND ")).toEqual([
      "(r.active)",
      "((r.valid_from IS NULL OR r.valid_from <= $5::timestamptz))",
      "((r.valid_until IS NULL OR r.valid_until >= $5::timestamptz))",
      "((r.stock IS NULL OR r.stock > 0))",
      "((array_position($6::text[], r.minimum_tier) - 1) <= (array_position($6::text[], m.tier) - 1))",
      "((r.max_per_member IS NULL OR (SELECT count(*)::int FROM redemptions d WHERE d.member_id = m.member_id AND d.reward_id = r.id AND d.status IN ('PENDING', 'COMPLETED')) < r.max_per_member))",
      "(r.cost_points <= m.available)",
    ]);
    expect(filter.sql).not.toMatch(/now\(\)/i);
  });
});
