import { insightsPeriodProblem, publishInsights, suppressPartition, suppressSubset } from "../../subgraphs/ledger/src/insights/suppression";

const K = 10;

describe("suppressPartition (cells adding up to a published total)", () => {
  it("publishes every cell when all reach k", () => {
    expect(suppressPartition([10, 25, 11], K)).toEqual([10, 25, 11]);
  });

  it("hides a small cell and, when it would be the total less the rest, the smallest other cell with it", () => {
    // 30 + 12 + 3 = 45: 3 alone would be 45 − 30 − 12. With 12 hidden too, only 3 + 12 = 15 ≥ 10 can be derived.
    expect(suppressPartition([30, 12, 3], K)).toEqual([30, null, null]);
  });

  it("counts zero as a small cell (a count of no one is fewer than k)", () => {
    // 28 BASE, 12 SILVER, 0 GOLD, 0 PLATINUM: GOLD + PLATINUM = 0 would follow from 40 − 28 − 12, so SILVER goes too.
    expect(suppressPartition([28, 12, 0, 0], K)).toEqual([28, null, null, null]);
  });

  it("hides more than one published cell when needed", () => {
    // 2 + 3 = 5 < 10: hide 4 (sum 9 < 10), then 20 (sum 29).
    expect(suppressPartition([2, 3, 4, 20, 50], K)).toEqual([null, null, null, null, 50]);
  });

  it("leaves nothing when every cell is small", () => {
    expect(suppressPartition([4, 5], K)).toEqual([null, null]);
  });

  it("stops once the hidden cells add up to k", () => {
    // 9 + 1 = 10: enough, 15 and 40 stay.
    expect(suppressPartition([9, 1, 15, 40], K)).toEqual([null, null, 15, 40]);
  });
});

describe("suppressSubset", () => {
  it("needs both the part and the rest to reach k", () => {
    expect(suppressSubset(25, 40, K)).toBe(25); // 25 and 15
    expect(suppressSubset(31, 40, K)).toBeNull(); // the other 9 would be singled out
    expect(suppressSubset(9, 40, K)).toBeNull();
    expect(suppressSubset(10, 20, K)).toBe(10); // 10 and 10
    expect(suppressSubset(0, 40, K)).toBeNull();
  });
});

describe("publishInsights", () => {
  const tiers = (base: number, silver: number, gold = 0, platinum = 0) => [
    { tier: "BASE", members: base },
    { tier: "SILVER", members: silver },
    { tier: "GOLD", members: gold },
    { tier: "PLATINUM", members: platinum },
  ];

  it("a coalition of 40 linked, 25 active: the worked example of the README", () => {
    const published = publishInsights(
      {
        linked: 40,
        active: 25,
        tiers: tiers(28, 12),
        availableSum: 40 * 150 + 7,
        categories: [
          { category: "GROCERY", members: 12, busiest: 2 }, // 12 of 25 active: 13 did not; 10 not at the busiest grocer → shown
          { category: "HOTEL", members: 18, busiest: 5 }, // 25 − 18 = 7 active members did not → hidden
          { category: "AIRLINE", members: 3, busiest: 1 },
        ],
      },
      K,
    );
    expect(published).toEqual({
      linkedMembers: 40,
      activeMembers: 25,
      tiers: [
        { tier: "BASE", members: 28 },
        { tier: "SILVER", members: null },
        { tier: "GOLD", members: null },
        { tier: "PLATINUM", members: null },
      ],
      averageAvailable: 150, // floor(6,007 / 40)
      alsoEarnsAt: [
        { category: "GROCERY", members: 12 },
        { category: "HOTEL", members: null },
        { category: "AIRLINE", members: null },
      ],
    });
  });

  it("hides the active count when the inactive ones are fewer than k, and judges categories against the linked then", () => {
    const published = publishInsights({ linked: 40, active: 33, tiers: tiers(40, 0), availableSum: 0, categories: [{ category: "FUEL", members: 20, busiest: 10 }, { category: "HOTEL", members: 31, busiest: 11 }] }, K);
    expect(published.activeMembers).toBeNull(); // 7 inactive
    // 20 of 40 (20 do not): shown; 31 of 40 (9 do not): hidden.
    expect(published.alsoEarnsAt).toEqual([{ category: "FUEL", members: 20 }, { category: "HOTEL", members: null }]);
    // One tier holds everyone: the three others (0 each) add up to 0, so BASE (40 = the total) is hidden as well.
    expect(published.tiers.map((t) => t.members)).toEqual([null, null, null, null]);
  });

  it("says nothing about fewer than k linked members", () => {
    const published = publishInsights({ linked: 9, active: 9, tiers: tiers(9, 0), availableSum: 900, categories: [{ category: "FUEL", members: 9, busiest: 0 }] }, K);
    expect(published).toEqual({
      linkedMembers: null,
      activeMembers: null,
      tiers: tiers(0, 0).map((t) => ({ tier: t.tier, members: null })),
      averageAvailable: null,
      alsoEarnsAt: [{ category: "FUEL", members: null }],
    });
  });

  it("hides a category's count that is one partner's, or within k of one partner's: the category would name that competitor", () => {
    // Linked 40, active 30: every category below is 20 or fewer, so 20 linked and 10 active did not earn there (both reach k).
    const category = (members: number, busiest: number) => publishInsights({ linked: 40, active: 30, tiers: tiers(40, 0), availableSum: 0, categories: [{ category: "DINING", members, busiest }] }, K).alsoEarnsAt[0].members;
    expect(category(12, 12)).toBeNull(); // all 12 at one café: its count
    expect(category(20, 10)).toBe(20); // 10 at the busiest, 10 elsewhere in the category
    expect(category(19, 10)).toBeNull(); // 9 elsewhere: the busiest's count would be known within 9
    expect(category(20, 11)).toBeNull();
    expect(category(15, 2)).toBe(15); // spread over many partners
    expect(category(0, 0)).toBeNull(); // a count of no one
  });

  it("the average of members who owe points is rounded down", () => {
    expect(publishInsights({ linked: 10, active: 0, tiers: tiers(10, 0), availableSum: -15, categories: [] }, K).averageAvailable).toBe(-2);
  });
});

describe("insightsPeriodProblem", () => {
  const now = new Date("2026-11-30T14:00:00Z");
  const d = (iso: string) => new Date(iso);

  it("accepts one whole UTC month that is over", () => {
    expect(insightsPeriodProblem(d("2026-10-01T00:00:00Z"), d("2026-11-01T00:00:00Z"), now)).toBeNull();
    expect(insightsPeriodProblem(d("2025-12-01T00:00:00Z"), d("2026-01-01T00:00:00Z"), now)).toBeNull();
  });

  it("refuses the current month, overlapping or nested periods, and periods not on month boundaries", () => {
    expect(insightsPeriodProblem(d("2026-11-01T00:00:00Z"), d("2026-12-01T00:00:00Z"), now)?.field).toBe("to");
    expect(insightsPeriodProblem(d("2026-10-15T00:00:00Z"), d("2026-11-01T00:00:00Z"), now)?.field).toBe("from");
    expect(insightsPeriodProblem(d("2026-10-01T00:00:00.001Z"), d("2026-11-01T00:00:00Z"), now)?.field).toBe("from");
    expect(insightsPeriodProblem(d("2026-09-01T00:00:00Z"), d("2026-11-01T00:00:00Z"), now)?.field).toBe("to");
    expect(insightsPeriodProblem(d("2026-10-01T00:00:00Z"), d("2026-10-31T00:00:00Z"), now)?.field).toBe("to");
  });
});
