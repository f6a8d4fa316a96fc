import {
  ADJUSTMENT_REASONS,
  ERASURE_ADJUSTMENT_REASON,
  MAX_ADJUSTMENT_NOTE_LENGTH,
  REFERRAL_WITHDRAWAL_NOTE,
  REFERRAL_WITHDRAWAL_REASON,
  STATEMENT_LINES,
  erasureForfeit,
  lotForfeitKey,
  referralWithdrawalKey,
  referralWithdrawals,
} from "../../subgraphs/ledger/src/rules";

/** What an erased member forfeits (rules/erasure.ts), with numbers worked out by hand. */
describe("erasure forfeit: every open lot, each to its issuer's breakage", () => {
  const A = "00000000-0000-4000-8000-00000000000a";
  const B = "00000000-0000-4000-8000-00000000000b";

  it("forfeits each lot that holds points, in the order given", () => {
    // 120 + 7 + 30 = 157; the empty lot 4 forfeits nothing.
    const lots = [
      { lotId: "1", partnerId: B, remaining: 120 },
      { lotId: "2", partnerId: A, remaining: 7 },
      { lotId: "3", partnerId: B, remaining: 30 },
      { lotId: "4", partnerId: A, remaining: 0 },
    ];
    expect(erasureForfeit(lots)).toEqual({
      total: 157,
      lots: [{ lotId: "1", partnerId: B, points: 120 }, { lotId: "2", partnerId: A, points: 7 }, { lotId: "3", partnerId: B, points: 30 }],
    });
  });

  it("forfeits nothing when nothing is left (a member in debt keeps the debt: no lot holds it)", () => {
    expect(erasureForfeit([])).toEqual({ total: 0, lots: [] });
    expect(erasureForfeit([{ lotId: "1", partnerId: A, remaining: 0 }])).toEqual({ total: 0, lots: [] });
  });

  it("adds large lots exactly", () => {
    // 2,147,483,647 × 2 = 4,294,967,294: past Int, within a safe integer.
    expect(erasureForfeit([{ lotId: "1", partnerId: A, remaining: 2_147_483_647 }, { lotId: "2", partnerId: A, remaining: 2_147_483_647 }]).total).toBe(4_294_967_294);
  });

  it("refuses a lot that cannot exist", () => {
    expect(() => erasureForfeit([{ lotId: "1", partnerId: A, remaining: -1 }])).toThrow();
    expect(() => erasureForfeit([{ lotId: "1", partnerId: A, remaining: 1.5 }])).toThrow();
  });

  it("the adjustments' reason is ERASURE, and each lot's forfeit has a key of its own", () => {
    expect(ERASURE_ADJUSTMENT_REASON).toBe("ERASURE");
    expect(lotForfeitKey(A, "42")).toBe(`erasure:${A}:lot:42`);
  });

  it("the clearing house values a forfeited lot as breakage, and an old whole-member forfeit (no lot) stays OTHER", () => {
    const adjustmentsToBreakage = STATEMENT_LINES.filter((r) => r.accountKind === "PARTNER_BREAKAGE" && r.transactionKind === "ADJUSTMENT");
    expect(adjustmentsToBreakage).toEqual([expect.objectContaining({ line: "BREAKAGE", emptiesOneLot: true, pointsSign: 1, moneySign: -1, price: "EXPIRED_LOT_SHARE", figure: "expired" })]);
  });
});

/** The referral bonus the referred member's erasure withdraws from their referrer (rules/erasure.ts referralWithdrawals). */
describe("referral withdrawal: a referrer's bonus lot still pending when the referred member is erased", () => {
  const REFERRER = "00000000-0000-4000-8000-0000000000aa";
  const COALITION = "00000000-0000-0000-0000-000000000000";
  const now = new Date("2026-03-04T12:00:00.000Z");
  const lot = (lotId: string, remaining: number, availableAt: string) => ({ lotId, memberId: REFERRER, partnerId: COALITION, remaining, availableAt: new Date(availableAt) });

  it("withdraws what each pending lot still holds, and leaves available and empty ones", () => {
    expect(
      referralWithdrawals(
        [
          lot("1", 500, "2026-03-15T12:00:00.000Z"), // pending 11 more days: all 500
          lot("2", 250, "2026-03-04T12:00:00.001Z"), // pending one more millisecond; a refund took 250 already: the 250 left
          lot("3", 500, "2026-03-04T12:00:00.000Z"), // available from now on: the referrer's for good
          lot("4", 0, "2026-03-15T12:00:00.000Z"), // pending, emptied by a full refund: nothing
        ],
        now,
      ),
    ).toEqual([
      { lotId: "1", memberId: REFERRER, partnerId: COALITION, points: 500 },
      { lotId: "2", memberId: REFERRER, partnerId: COALITION, points: 250 },
    ]);
    expect(referralWithdrawals([], now)).toEqual([]);
  });

  it("refuses a lot that cannot exist", () => {
    expect(() => referralWithdrawals([lot("1", -1, "2026-03-15T12:00:00.000Z")], now)).toThrow();
  });

  it("is keyed by the erasure and the lot, and its adjustments row is one customer care could write", () => {
    expect(referralWithdrawalKey(REFERRER, "42")).toBe(`erasure:${REFERRER}:referral:42`);
    expect(ADJUSTMENT_REASONS).toContain(REFERRAL_WITHDRAWAL_REASON);
    expect(REFERRAL_WITHDRAWAL_REASON).toBe("CORRECTION");
    expect([...REFERRAL_WITHDRAWAL_NOTE].length).toBeLessThanOrEqual(MAX_ADJUSTMENT_NOTE_LENGTH);
  });
});
