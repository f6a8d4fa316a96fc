import { QUALIFYING_WINDOW_TEXT } from "../../subgraphs/ledger/src/rule-docs";
import { qualifiesAt } from "../../subgraphs/ledger/src/rules";

const t = (iso: string) => new Date(iso);
const madeAt = (iso: string) => ({ earnedAt: t(iso), availableAt: t(iso) });
/** The first of `instants` (in order) at which a purchase made at `made` no longer qualifies. */
const stopsAt = (made: string, instants: string[]) => instants.find((now) => !qualifiesAt(madeAt(made), t(now)));

/**
 * The schema descriptions state the rules from ./rule-docs.ts; what they say must be what the rules
 * do at the edges. `TierProgress.qualifyingPoints` said a purchase "counts until exactly 12 months
 * after it was made", which the rule (earnedAt after the window's start, rules/windows.ts) does not do
 * around 29 February (README, The contract, Tiers, was corrected; the description was not).
 */
describe("the qualifying window as the schema describes it", () => {
  it("states the rule, with worked examples the rule gives", () => {
    expect(QUALIFYING_WINDOW_TEXT).not.toContain("exactly 12 months after it was made");
    // A purchase made on 28 February 2023 at noon counts a day past "exactly 12 months" (28 February 2024 at noon), without a gap.
    expect(stopsAt("2023-02-28T12:00:00Z", ["2024-02-28T12:00:00Z", "2024-02-28T23:59:59.999Z", "2024-02-29T00:00:00Z", "2024-02-29T11:59:59.999Z", "2024-02-29T12:00:00Z"]))
      .toBe("2024-02-29T12:00:00Z");
    expect(QUALIFYING_WINDOW_TEXT).toContain("one made on 28 February 2023 at noon until 29 February 2024 at noon, without a gap");
    expect(stopsAt("2024-02-29T05:00:00Z", ["2025-02-28T05:00:00Z", "2025-02-28T23:59:59.999Z", "2025-03-01T00:00:00Z"])).toBe("2025-03-01T00:00:00Z");
    expect(QUALIFYING_WINDOW_TEXT).toContain("one made on 29 February 2024 counts until 1 March 2025 00:00 UTC");
    // Elsewhere, exactly 12 months on, exclusive.
    expect(stopsAt("2025-06-15T08:30:00Z", ["2026-06-15T08:29:59.999Z", "2026-06-15T08:30:00Z"])).toBe("2026-06-15T08:30:00Z");
    expect(QUALIFYING_WINDOW_TEXT).toContain("until T + 12 months, exclusive");
  });
});
