import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ledger from "../../subgraphs/ledger/src/rules";
import * as partners from "../../subgraphs/partners/src/rules/earn-rule";
import { TIER_ORDER, TierLevel } from "../../shared/src/enums";
import { MAX_COST_POINTS } from "../../subgraphs/catalog/src/rules/reward-limits";
import { MAX_POINTS as MAX_HOLD_POINTS } from "../../subgraphs/ledger/src/hold/redemption-posting";

/**
 * A partner's earn rule is accepted by the partners service and computed with by the ledger, two
 * services that may not import each other's code: each states the limits it relies on, and this test
 * fails when they differ (before, the partners service typed 365 and 4 decimals inline, and the
 * ledger's exact arithmetic assumed them). The partners table's CHECK and column type say them too.
 */
describe("the partners service accepts exactly the earn rules the ledger computes with", () => {
  const schema = readFileSync(join(__dirname, "../../subgraphs/partners/schema.sql"), "utf8");

  it("the longest return window", () => {
    expect(ledger.MAX_RETURN_WINDOW_DAYS).toBe(partners.MAX_RETURN_WINDOW_DAYS);
    expect(schema).toContain(`CHECK (return_window_days >= 0 AND return_window_days <= ${partners.MAX_RETURN_WINDOW_DAYS})`);
    // Points outlive the longest window (the pending sums rely on it): 13 months is more than 365 days.
    expect(ledger.addMonths(new Date("2023-02-28T00:00:00Z"), ledger.MIN_POINTS_EXPIRY_MONTHS).getTime() - new Date("2023-02-28T00:00:00Z").getTime())
      .toBeGreaterThan(partners.MAX_RETURN_WINDOW_DAYS * ledger.DAY_MS);
  });

  it("pointsPerUnit's decimals, computed exactly at the finest rate and the largest", () => {
    expect(ledger.POINTS_PER_UNIT_DECIMALS).toBe(partners.POINTS_PER_UNIT_DECIMALS);
    expect(schema).toContain(`points_per_unit numeric(12,${partners.POINTS_PER_UNIT_DECIMALS})`);
    // 1,000,000.00 at 0.0001 points per unit: 100 base points; at the largest rate, 1,000,000,000.
    expect(ledger.basePointsForPurchase(100_000_000, 0.0001)).toBe(100);
    expect(ledger.basePointsForPurchase(ledger.MAX_AMOUNT_MINOR, partners.MAX_POINTS_PER_UNIT)).toBe(1_000_000_000);
    // The largest purchase at the largest rate and the top tier still fits under the member cap.
    expect(ledger.pointsAtTier(1_000_000_000, "PLATINUM")).toBeLessThanOrEqual(ledger.MEMBER_POINTS_CAP);
  });
});

/**
 * The tiers are named in two places that cannot share code: the shared `TierLevel` enum and its
 * TIER_ORDER (the catalog's minimumTier comparison, campaign offers) and the ledger's TIER_THRESHOLDS
 * (what a member reaches, the campaign awards' tier rank). A tier added, renamed or reordered in one fails here.
 */
describe("the tiers the shared enum orders are the ledger's, in the same order", () => {
  it("BASE < SILVER < GOLD < PLATINUM in both", () => {
    expect([...TIER_ORDER]).toEqual(ledger.TIER_THRESHOLDS.map((t) => t.tier));
    expect(Object.values(TierLevel)).toEqual([...TIER_ORDER]);
    expect(Object.keys(ledger.TIER_MULTIPLIER_PERCENT)).toEqual([...TIER_ORDER]);
  });
});

describe("the ledger holds whatever a reward may cost", () => {
  it("a hold accepts the dearest reward the catalog allows", () => {
    expect(MAX_HOLD_POINTS).toBeGreaterThanOrEqual(MAX_COST_POINTS);
  });
});
