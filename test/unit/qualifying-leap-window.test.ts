import { qualifiesAt } from "../../subgraphs/ledger/src/rules";

const t = (iso: string) => new Date(iso);
const at = (iso: string) => ({ earnedAt: t(iso), availableAt: t(iso) });

/**
 * README, The contract, Tiers said "a purchase made at T counts until T + 12 months, exclusive"; the rule
 * (rules/windows.ts, and the SQL generated from it) is "earnedAt > now − 12 months", which differs around
 * 29 February (T + 12 months of 2024-02-29T05:00 is 2025-02-28T05:00, yet the purchase counts until
 * 2025-03-01T00:00). The README now states the rule as applied; these are its worked examples.
 */
describe("the qualifying window around 29 February", () => {
  it("counts a purchase made on 29 February until 1 March 00:00 UTC, a year on", () => {
    expect(qualifiesAt(at("2024-02-29T05:00:00Z"), t("2025-02-28T10:00:00Z"))).toBe(true); // past T + 12 months, still in
    expect(qualifiesAt(at("2024-02-29T05:00:00Z"), t("2025-02-28T23:59:59.999Z"))).toBe(true);
    expect(qualifiesAt(at("2024-02-29T05:00:00Z"), t("2025-03-01T00:00:00Z"))).toBe(false);
  });

  it("counts a purchase made on 28 February at noon until noon on the next 29 February", () => {
    expect(qualifiesAt(at("2023-02-28T12:00:00Z"), t("2024-02-29T11:59:59Z"))).toBe(true); // T + 12 months (2024-02-28T12:00) has passed
    expect(qualifiesAt(at("2023-02-28T12:00:00Z"), t("2024-02-29T12:00:00Z"))).toBe(false);
  });
});
