import { ERASURE_ADJUSTMENT_REASON, erasureForfeit } from "../../subgraphs/ledger/src/rules";

/** What an erased member forfeits (rules/erasure.ts), with numbers worked out by hand. */
describe("erasure forfeit: every open lot, each partner's share to its breakage", () => {
  const A = "00000000-0000-4000-8000-00000000000a";
  const B = "00000000-0000-4000-8000-00000000000b";

  it("sums the lots per partner, partners in id order", () => {
    // B: 120 + 30 = 150; A: 7; an empty lot adds nothing. Total 157.
    expect(erasureForfeit([{ partnerId: B, remaining: 120 }, { partnerId: A, remaining: 7 }, { partnerId: B, remaining: 30 }, { partnerId: A, remaining: 0 }])).toEqual({
      total: 157,
      byPartner: [{ partnerId: A, points: 7 }, { partnerId: B, points: 150 }],
    });
  });

  it("forfeits nothing when nothing is left (a member in debt keeps the debt: no lot holds it)", () => {
    expect(erasureForfeit([])).toEqual({ total: 0, byPartner: [] });
    expect(erasureForfeit([{ partnerId: A, remaining: 0 }])).toEqual({ total: 0, byPartner: [] });
  });

  it("adds large lots exactly", () => {
    // 2,147,483,647 × 2 = 4,294,967,294: past Int, within a safe integer.
    expect(erasureForfeit([{ partnerId: A, remaining: 2_147_483_647 }, { partnerId: A, remaining: 2_147_483_647 }]).total).toBe(4_294_967_294);
  });

  it("refuses a lot that cannot exist", () => {
    expect(() => erasureForfeit([{ partnerId: A, remaining: -1 }])).toThrow();
    expect(() => erasureForfeit([{ partnerId: A, remaining: 1.5 }])).toThrow();
  });

  it("the adjustment's reason is ERASURE", () => {
    expect(ERASURE_ADJUSTMENT_REASON).toBe("ERASURE");
  });
});
