import { DEFAULT_CANCEL_WINDOW_HOURS, withinCancelWindow } from "../../subgraphs/catalog/src/rules/cancellation";
import { ELIGIBILITY_ORDER_TEXT } from "../../subgraphs/catalog/src/reward/eligibility";

const t = (iso: string) => new Date(iso);

describe("cancelling a redemption: the window, by hand", () => {
  it("is 24 hours by default, the last instant included", () => {
    expect(DEFAULT_CANCEL_WINDOW_HOURS).toBe(24);
    const redeemed = t("2026-03-28T12:00:00Z"); // the night Europe's clocks go forward: hours are hours, not local days
    expect(withinCancelWindow(redeemed, t("2026-03-28T12:00:00Z"), 24)).toBe(true);
    expect(withinCancelWindow(redeemed, t("2026-03-29T11:59:59.999Z"), 24)).toBe(true);
    expect(withinCancelWindow(redeemed, t("2026-03-29T12:00:00Z"), 24)).toBe(true);
    expect(withinCancelWindow(redeemed, t("2026-03-29T12:00:00.001Z"), 24)).toBe(false);
    expect(withinCancelWindow(redeemed, t("2026-03-28T13:00:00.001Z"), 1)).toBe(false);
  });
});

describe("the schema states the eligibility order from the list", () => {
  it("reads, for redeemReward's description, as written out here", () => {
    expect(ELIGIBILITY_ORDER_TEXT).toBe(
      "inactive (NOT_ELIGIBLE), before validFrom (NOT_ELIGIBLE), after validUntil (NOT_ELIGIBLE), no stock (OUT_OF_STOCK), tier too low (NOT_ELIGIBLE), " +
        "maxPerMember reached (NOT_ELIGIBLE), too dear (INSUFFICIENT_POINTS)",
    );
  });
});
