import {
  APPLY_CAMPAIGN_BONUSES,
  RECORD_PURCHASES,
} from "../../subgraphs/ledger/src/sql";
import {
  awardFor,
  awardsInOrder,
  bonusesFitUnderCap,
  campaignBonus,
  campaignStatus,
  compareCampaigns,
  coversPurchaseAt,
  fundedFromAllowance,
  inCampaignWindow,
  percentBonus,
  earnedAtOtherPartner,
  withinAfterWindow,
} from "../../subgraphs/ledger/src/rules";

/** Campaign rules with numbers worked out by hand (README, "Campaigns and referrals"). */
const at = (iso: string) => new Date(iso);

describe("campaign rules", () => {
  it("a percent bonus is floor(base points × percent / 100)", () => {
    expect(percentBonus(100, 50)).toBe(50);
    expect(percentBonus(19, 50)).toBe(9); // 9.5
    expect(percentBonus(199, 10)).toBe(19); // 19.9
    expect(percentBonus(3, 33)).toBe(0); // 0.99
    expect(percentBonus(123, 200)).toBe(246);
    expect(percentBonus(2_147_483_647, 1_000)).toBe(21_474_836_470); // exact past 2^31 (BigInt)
  });

  it("a fixed bonus ignores the base points; a percent one uses them", () => {
    expect(campaignBonus({ bonusPoints: 500, bonusPercent: null }, 0)).toBe(500);
    expect(campaignBonus({ bonusPoints: null, bonusPercent: 10 }, 123)).toBe(12);
  });

  it("the award is cut to the budget and the member's cap, never below 0", () => {
    expect(awardFor(50, null, null)).toBe(50);
    expect(awardFor(50, 30, null)).toBe(30);
    expect(awardFor(50, 500, 10)).toBe(10);
    expect(awardFor(50, 0, 100)).toBe(0);
    expect(awardFor(50, -5, null)).toBe(0);
  });

  it("a group's awards of one campaign spend its budget in purchase order, each cut to its member's cap first", () => {
    // Budget 70; bonuses 50, 50, 50: the first takes 50, the second the 20 left, the third nothing.
    expect(awardsInOrder(70, [{ bonus: 50, memberLeft: null }, { bonus: 50, memberLeft: null }, { bonus: 50, memberLeft: null }])).toEqual([50, 20, 0]);
    // The first member has 10 left of their cap: it takes 10, so 60 are left for the second's 50, and 10 for the third.
    expect(awardsInOrder(70, [{ bonus: 50, memberLeft: 10 }, { bonus: 50, memberLeft: null }, { bonus: 50, memberLeft: null }])).toEqual([10, 50, 10]);
    // A member at their cap takes nothing and spends nothing.
    expect(awardsInOrder(30, [{ bonus: 50, memberLeft: 0 }, { bonus: 50, memberLeft: 40 }])).toEqual([0, 30]);
    // No budget: only the members' caps cut.
    expect(awardsInOrder(null, [{ bonus: 50, memberLeft: 5 }, { bonus: 7, memberLeft: null }])).toEqual([5, 7]);
    expect(awardsInOrder(0, [{ bonus: 50, memberLeft: null }])).toEqual([0]);
  });

  it("a PREPAID funder's allowance pays its awards within budget in order, each cut to what is left", () => {
    // Allowance 100; awards 60, 60, 60: the first takes 60, the second the 40 left, the third nothing.
    expect(fundedFromAllowance(100, [60, 60, 60])).toEqual([60, 40, 0]);
    // An award of 0 (a spent budget) takes nothing, so the next still gets its 30 of the 30 left.
    expect(fundedFromAllowance(30, [0, 30, 5])).toEqual([0, 30, 0]);
    // Nothing left (or an allowance driven to 0 by the group's own purchases): nothing is awarded.
    expect(fundedFromAllowance(0, [7])).toEqual([0]);
    // No allowance (a postpaid funder, the coalition): the awards stand.
    expect(fundedFromAllowance(null, [60, 60])).toEqual([60, 60]);
  });

  it("a purchase's bonuses fit under the points cap together or are not awarded", () => {
    // Cap 1,000, nothing owed: a balance of 900 takes bonuses 50 + 50 (= 1,000 exactly), not 50 + 51.
    expect(bonusesFitUnderCap(900, 0, [50, 50], 1_000)).toBe(true);
    expect(bonusesFitUnderCap(900, 0, [50, 51], 1_000)).toBe(false);
    expect(bonusesFitUnderCap(2_147_483_000, 0, [600, 47], 2_147_483_647)).toBe(true);
    expect(bonusesFitUnderCap(2_147_483_000, 0, [600, 48], 2_147_483_647)).toBe(false);
    expect(bonusesFitUnderCap(5, 0, [], 5)).toBe(true);
  });

  it("a debt makes no room under the cap: what the member holds (balance plus debt) is what counts", () => {
    // Cap 1,000, owing 300 and holding nothing (balance −300): 1,000 fits (−300 + 300 + 1,000), 1,001 does not,
    // though −300 + 1,001 = 701 would.
    expect(bonusesFitUnderCap(-300, 300, [1_000], 1_000)).toBe(true);
    expect(bonusesFitUnderCap(-300, 300, [600, 401], 1_000)).toBe(false);
    // Holding 1,000 pending while owing 300 (balance 700): no room at all at cap 1,000, though 700 + 300 = 1,000 would fit the balance.
    expect(bonusesFitUnderCap(700, 300, [1], 1_000)).toBe(false);
    expect(bonusesFitUnderCap(700, 300, [], 1_000)).toBe(true);
    // An outside review's case: a debt of 300,000,000 and a bonus of 2,200,000,000 (past what a points column
    // stores) at the real cap of 2,147,483,647: −300,000,000 + 2,200,000,000 = 1,900,000,000 would have fit.
    expect(bonusesFitUnderCap(-300_000_000, 300_000_000, [2_200_000_000], 2_147_483_647)).toBe(false);
    // The next one's: 2,147,483,640 pending, 1,000 owed (balance 2,147,482,640): a bonus of 1,000 would take pending
    // to 2,147,484,640; 7 is the most that fits (2,147,482,640 + 1,000 + 7 = 2,147,483,647).
    expect(bonusesFitUnderCap(2_147_482_640, 1_000, [1_000], 2_147_483_647)).toBe(false);
    expect(bonusesFitUnderCap(2_147_482_640, 1_000, [7], 2_147_483_647)).toBe(true);
    expect(bonusesFitUnderCap(2_147_482_640, 1_000, [8], 2_147_483_647)).toBe(false);
  });

  it("a campaign's window includes its start and excludes its end, to the millisecond", () => {
    const [start, end] = [at("2026-12-05T00:00:00Z"), at("2026-12-07T00:00:00Z")];
    expect(inCampaignWindow(start, end, at("2026-12-04T23:59:59.999Z"))).toBe(false);
    expect(inCampaignWindow(start, end, at("2026-12-05T00:00:00Z"))).toBe(true);
    expect(inCampaignWindow(start, end, at("2026-12-06T23:59:59.999Z"))).toBe(true);
    expect(inCampaignWindow(start, end, at("2026-12-07T00:00:00Z"))).toBe(false);
  });

  it("cross-brand: the earlier purchase counts from exactly N × 24 h before up to, not including, the purchase's instant", () => {
    const purchase = at("2026-12-10T12:00:00Z");
    expect(withinAfterWindow(at("2026-12-03T12:00:00Z"), purchase, 7)).toBe(true);
    expect(withinAfterWindow(at("2026-12-03T11:59:59Z"), purchase, 7)).toBe(false);
    expect(withinAfterWindow(at("2026-12-10T11:59:59Z"), purchase, 7)).toBe(true);
    expect(withinAfterWindow(at("2026-12-10T12:00:00Z"), purchase, 7)).toBe(false);
    // Across Europe's DST end (2026-10-25): 7 × 24 h before 2026-10-27T12:00Z is 2026-10-20T12:00Z, not the 11:00Z of 7 calendar days in Paris.
    expect(withinAfterWindow(at("2026-10-20T11:30:00Z"), at("2026-10-27T12:00:00Z"), 7)).toBe(false);
    expect(withinAfterWindow(at("2026-10-20T12:00:00Z"), at("2026-10-27T12:00:00Z"), 7)).toBe(true);
  });

  it("cross-brand: the earlier purchase at the other partner must have earned points (a one-cent receipt earns none)", () => {
    expect(earnedAtOtherPartner(0)).toBe(false);
    expect(earnedAtOtherPartner(1)).toBe(true);
  });

  it("order: earlier start first, then earlier creation, then id", () => {
    const c = (id: string, starts: string, created: string) => ({ id, startsAt: at(starts), createdAt: at(created) });
    const list = [c("b", "2026-12-02T00:00:00Z", "2026-11-01T00:00:00Z"), c("a", "2026-12-02T00:00:00Z", "2026-11-01T00:00:00Z"),
      c("z", "2026-12-01T00:00:00Z", "2026-11-05T00:00:00Z"), c("y", "2026-12-02T00:00:00Z", "2026-10-01T00:00:00Z")];
    expect([...list].sort(compareCampaigns).map((x) => x.id)).toEqual(["z", "y", "a", "b"]);
  });

  it("which purchases a campaign covers", () => {
    expect(coversPurchaseAt({ partnerIds: ["p1"], categories: [] }, "p1", "FUEL")).toBe(true);
    expect(coversPurchaseAt({ partnerIds: ["p1"], categories: [] }, "p2", "FUEL")).toBe(false);
    expect(coversPurchaseAt({ partnerIds: ["p1"], categories: ["FUEL"] }, "p2", "FUEL")).toBe(true);
    expect(coversPurchaseAt({ partnerIds: [], categories: ["FUEL"] }, "p2", null)).toBe(false);
    expect(coversPurchaseAt({ partnerIds: [], categories: [] }, "p9", "OTHER")).toBe(true);
  });

  it("status: ENDED over EXHAUSTED over SCHEDULED, else ACTIVE", () => {
    const base = { startsAt: at("2026-12-05T00:00:00Z"), endsAt: at("2026-12-07T00:00:00Z"), endedAt: null, budgetPoints: 100, pointsAwarded: 0 };
    expect(campaignStatus(base, at("2026-12-04T00:00:00Z"))).toBe("SCHEDULED");
    expect(campaignStatus(base, at("2026-12-05T00:00:00Z"))).toBe("ACTIVE");
    expect(campaignStatus({ ...base, pointsAwarded: 100 }, at("2026-12-05T00:00:00Z"))).toBe("EXHAUSTED");
    expect(campaignStatus({ ...base, pointsAwarded: 100 }, at("2026-12-07T00:00:00Z"))).toBe("ENDED");
    expect(campaignStatus({ ...base, endedAt: at("2026-12-05T01:00:00Z") }, at("2026-12-05T02:00:00Z"))).toBe("ENDED");
  });

  it("the SQL applies these rules as generated text, and record_purchases ends by calling it", () => {
    const body = APPLY_CAMPAIGN_BONUSES.body;
    expect(body).toContain("coalesce(c.bonus_points::bigint, ((m.base_points)::bigint * (c.bonus_percent)) / 100)");
    expect(body).toContain("(c.starts_at <= m.earned_at AND m.earned_at < c.ends_at)");
    expect(body).toContain("(o.earned_at >= m.earned_at - make_interval(hours => 24 * c.after_within_days) AND o.earned_at < m.earned_at)");
    // The campaigns' rows are locked in the documented order; each bonus is cut to the member's cap, then to the budget in purchase order.
    expect(body).toContain("ORDER BY c.starts_at, c.created_at, c.id FOR UPDATE");
    expect(body).toContain("coalesce(c.max_bonus_per_member - coalesce(cm.points, 0), coalesce(c.bonus_points::bigint, ((m.base_points)::bigint * (c.bonus_percent)) / 100))");
    expect(body).toContain(
      "greatest(0, least(w.cut_bonus, coalesce(l.budget_left - coalesce(sum(w.cut_bonus) OVER (PARTITION BY w.campaign_id ORDER BY w.ord ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0), w.cut_bonus), coalesce(NULL, w.cut_bonus))) AS award_in_budget",
    );
    expect(body).toContain("(w.balance + w.debt + w.cut_bonuses_of_purchase <= p_points_cap)");
    // A PREPAID funder's allowance then pays the awards within budget in purchase, then campaign, order (fundedFromAllowance).
    expect(body).toContain(
      "greatest(0, least(w.award_in_budget, coalesce(w.allowance_left - coalesce(sum(w.award_in_budget) OVER (PARTITION BY w.funder_id ORDER BY w.ord, w.campaign_rank ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0), w.award_in_budget), coalesce(NULL, w.award_in_budget)))",
    );
    // Debts are repaid from the awards in campaign order (rules/debt.ts repayDebtFromSlices).
    expect(body).toContain("row_number() OVER (PARTITION BY m.tx ORDER BY c.starts_at, c.created_at, c.id) AS campaign_rank");
    expect(body).toContain("greatest(0, least(w.award, w.debt - coalesce(sum(w.award) OVER (PARTITION BY w.tx ORDER BY w.campaign_rank ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)))");
    expect(RECORD_PURCHASES.body.trimEnd().split("\n").slice(-2)[0]).toBe("  PERFORM apply_campaign_bonuses(p_keys, p_expires_at, p_tier_from, p_tier_thresholds, p_now, p_points_cap);");
  });
});
